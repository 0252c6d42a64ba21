package geo

import "math"

// Ellipsoid is a reference ellipsoid: semi-major axis A in metres and inverse
// flattening RF.
type Ellipsoid struct {
	Name  string
	A, RF float64
}

// The ellipsoids of the supported UTM families.
var (
	WGS84 = Ellipsoid{"WGS84", 6378137, 298.257223563}
	GRS80 = Ellipsoid{"GRS80", 6378137, 298.257222101}
)

// tmOrder is the order of the Krüger series (PROJ's ETMERC_ORDER).
const tmOrder = 6

// TransverseMercator is the ellipsoidal transverse Mercator projection with
// origin latitude 0, evaluated as PROJ's default ("exact", Poder/Engsager)
// algorithm does: geodetic -> conformal (Gaussian) latitude by a 6th-order
// trigonometric series in the third flattening n, spherical transverse
// Mercator, then Krüger's 6th-order complex series to the ellipsoid. The
// zero value is not usable; build one with NewTransverseMercator or UTM.
type TransverseMercator struct {
	epsg     int
	lam0     float64 // central meridian, radians
	k0, a    float64
	x0, y0   float64 // false easting and northing, metres
	qn       float64 // normalised meridian quadrant times k0
	cbg, gtu [tmOrder]float64
}

// NewTransverseMercator returns the projection on ell with central meridian
// lon0 (degrees), scale k0 and false easting/northing x0, y0 (metres). epsg
// is reported by EPSG and may be 0.
func NewTransverseMercator(ell Ellipsoid, lon0, k0, x0, y0 float64, epsg int) *TransverseMercator {
	f := 1 / ell.RF
	es := 2*f - f*f
	// PROJ derives the third flattening from the angular eccentricity.
	t := math.Tan(math.Asin(math.Sqrt(es)) / 2)
	n := t * t
	tm := &TransverseMercator{epsg: epsg, lam0: lon0 * (math.Pi / 180), k0: k0, a: ell.A, x0: x0, y0: y0}

	// Geodetic -> Gaussian latitude (Engsager & Poder, ICC 2007).
	np := n
	tm.cbg[0] = n * (-2 + n*(2/3.0+n*(4/3.0+n*(-82/45.0+n*(32/45.0+n*(4642/4725.0))))))
	np *= n
	tm.cbg[1] = np * (5/3.0 + n*(-16/15.0+n*(-13/9.0+n*(904/315.0+n*(-1522/945.0)))))
	np *= n
	tm.cbg[2] = np * (-26/15.0 + n*(34/21.0+n*(8/5.0+n*(-12686/2835.0))))
	np *= n
	tm.cbg[3] = np * (1237/630.0 + n*(-12/5.0+n*(-24832/14175.0)))
	np *= n
	tm.cbg[4] = np * (-734/315.0 + n*(109598/31185.0))
	np *= n
	tm.cbg[5] = np * (444337 / 155925.0)

	// Spherical -> ellipsoidal northing/easting (Krüger's alpha series).
	np = n * n
	tm.qn = k0 / (1 + n) * (1 + np*(1/4.0+np*(1/64.0+np/256.0)))
	tm.gtu[0] = n * (0.5 + n*(-2/3.0+n*(5/16.0+n*(41/180.0+n*(-127/288.0+n*(7891/37800.0))))))
	tm.gtu[1] = np * (13/48.0 + n*(-3/5.0+n*(557/1440.0+n*(281/630.0+n*(-1983433/1935360.0)))))
	np *= n
	tm.gtu[2] = np * (61/240.0 + n*(-103/140.0+n*(15061/26880.0+n*(167603/181440.0))))
	np *= n
	tm.gtu[3] = np * (49561/161280.0 + n*(-179/168.0+n*(6601661/7257600.0)))
	np *= n
	tm.gtu[4] = np * (34729/80640.0 + n*(-3418889/1995840.0))
	np *= n
	tm.gtu[5] = np * (212378941 / 319334400.0)
	return tm
}

// UTM returns UTM zone (1..60) on ell, southern hemisphere if south.
func UTM(ell Ellipsoid, zone int, south bool, epsg int) *TransverseMercator {
	y0 := 0.0
	if south {
		y0 = 10000000
	}
	tm := NewTransverseMercator(ell, 0, 0.9996, 500000, y0, epsg)
	// The central meridian as PROJ's utm computes it, to the last bit.
	tm.lam0 = (float64(zone-1)+0.5)*math.Pi/30 - math.Pi
	return tm
}

// EPSG returns the EPSG code given at construction.
func (tm *TransverseMercator) EPSG() int { return tm.epsg }

// Forward projects lon/lat in degrees to easting/northing in metres.
func (tm *TransverseMercator) Forward(lon, lat float64) (x, y float64) {
	phi := lat * (math.Pi / 180)
	lam := lon*(math.Pi/180) - tm.lam0
	if math.Abs(lam) > math.Pi+1e-12 {
		lam = math.Remainder(lam, 2*math.Pi)
	}
	// Geodetic -> Gaussian latitude (real Clenshaw sum).
	s2, c2 := math.Sincos(2 * phi)
	cn := gatg(&tm.cbg, phi, c2, s2)

	sinCn, cosCn := math.Sincos(cn)
	sinCe, cosCe := math.Sincos(lam)
	cosCnCosCe := cosCn * cosCe
	cn = math.Atan2(sinCn, cosCnCosCe)
	inv := 1 / math.Hypot(sinCn, cosCnCosCe)
	tanCe := sinCe * cosCn * inv
	ce := math.Asinh(tanCe)

	two := 2 * inv
	twoSq := two * inv
	tmp := cosCnCosCe * twoSq
	sinR := sinCn * tmp
	cosR := cosCnCosCe*tmp - 1
	sinhI := tanCe * two
	coshI := twoSq - 1
	dCn, dCe := clenS(&tm.gtu, sinR, cosR, sinhI, coshI)
	cn += dCn
	ce += dCe
	return tm.a*(tm.qn*ce) + tm.x0, tm.a*(tm.qn*cn) + tm.y0
}

// ForwardSlice projects flat lon,lat pairs from src into dst (same length;
// dst may be src).
func (tm *TransverseMercator) ForwardSlice(dst, src []float64) {
	if len(dst) != len(src) || len(src)%2 != 0 {
		panic("geo: ForwardSlice: bad lengths")
	}
	for i := 0; i < len(src); i += 2 {
		dst[i], dst[i+1] = tm.Forward(src[i], src[i+1])
	}
}

// gatg sums B + sum p[k] sin(2(k+1)B) by Clenshaw's recurrence.
func gatg(p *[tmOrder]float64, b, cos2B, sin2B float64) float64 {
	twoCos := 2 * cos2B
	var h, h2 float64
	h1 := p[tmOrder-1]
	for k := tmOrder - 2; k >= 0; k-- {
		h = -h2 + twoCos*h1 + p[k]
		h2, h1 = h1, h
	}
	return b + h*sin2B
}

// clenS is the complex Clenshaw sum of sum a[k] sin(2(k+1)(r + i i')),
// given sin/cos of 2r and sinh/cosh of 2i'; it returns real and imaginary
// parts.
func clenS(a *[tmOrder]float64, sinR, cosR, sinhI, coshI float64) (re, im float64) {
	r := 2 * cosR * coshI
	i := -2 * sinR * sinhI
	var hr1, hi1, hi, hr2, hi2 float64
	hr := a[tmOrder-1]
	for k := tmOrder - 2; k >= 0; k-- {
		hr2, hi2 = hr1, hi1
		hr1, hi1 = hr, hi
		hr = -hr2 + r*hr1 - i*hi1 + a[k]
		hi = -hi2 + i*hr1 + r*hi1
	}
	r = sinR * coshI
	i = cosR * sinhI
	return r*hr - i*hi, r*hi + i*hr
}
