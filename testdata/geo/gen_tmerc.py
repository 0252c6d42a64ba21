#!/usr/bin/python3
"""Regenerates tmerc_golden.csv with Debian's pyproj (PROJ 9.1.1): ./gen_tmerc.py > tmerc_golden.csv"""
import random
from pyproj import Transformer

cases = [  # (epsg, central meridian)
    (32616, -87), (32618, -75), (32756, 153), (26916, -87), (32601, -177), (32660, 177)]
rnd = random.Random(4)
print("epsg,lon,lat,x,y")
for epsg, lon0 in cases:
    t = Transformer.from_crs(4326, epsg, always_xy=True)
    south = 32700 < epsg < 32800
    pts = [(lon0, 0.0), (lon0 + 3, 0.0)]
    for _ in range(40):
        lat = rnd.uniform(-80, 0) if south else rnd.uniform(0, 84)
        lon = lon0 + rnd.uniform(-4.5, 4.5)
        pts.append((round(lon, 6), round(lat, 6)))
    for lon, lat in pts:
        x, y = t.transform(lon, lat)
        print(f"{epsg},{lon!r},{lat!r},{x!r},{y!r}")
