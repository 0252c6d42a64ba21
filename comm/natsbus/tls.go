package natsbus

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// RouteTLS is the PEM-encoded material for mutual TLS on the routes of a
// job: every server presents Cert (with Key) and accepts a peer only if
// its certificate chains to CA. Host names are not checked: whoever holds
// a certificate of the CA is a member of the job, so the CA must be the
// job's or the cluster's own (NewJobCA makes one per job).
type RouteTLS struct {
	CA, Cert, Key []byte
}

// NewJobCA makes a CA for one job and a certificate it signed, good for
// both ends of a route, with its key: ECDSA P-256, valid for a year. The
// CA's own key is dropped, so nothing else can ever be signed by it.
func NewJobCA(job string) (*RouteTLS, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "gorun job " + job + " CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "gorun job " + job + " route"},
		DNSNames:     []string{"gorun-route"},
		NotBefore:    ca.NotBefore,
		NotAfter:     ca.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &RouteTLS{
		CA:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		Key:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

// Config is the tls.Config of a route, both for accepting and for dialling
// one: TLS 1.3, a certificate required of the peer and verified against
// the CA, no host name check. Its errors name the part (CA, certificate,
// key) that is wrong.
func (r *RouteTLS) Config() (*tls.Config, error) {
	pool := x509.NewCertPool()
	if len(r.CA) == 0 || !pool.AppendCertsFromPEM(r.CA) {
		return nil, errors.New("the CA holds no PEM certificate")
	}
	cert, err := tls.X509KeyPair(r.Cert, r.Key)
	if err != nil {
		return nil, fmt.Errorf("the certificate and key: %w", err)
	}
	verify := func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("the peer presented no certificate")
		}
		opts := x509.VerifyOptions{Roots: pool, Intermediates: x509.NewCertPool(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		for _, c := range cs.PeerCertificates[1:] {
			opts.Intermediates.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(opts)
		return err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAnyClientCert,
		// The chain is checked by VerifyConnection, without the host
		// name: routes dial addresses, and the CA alone admits a peer.
		InsecureSkipVerify: true,
		VerifyConnection:   verify,
	}, nil
}
