package sns

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SignatureVersion 1 is SHA1withRSA, as AWS signs it
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Message signing. Fogbank signs what it delivers as SNS does: an RSA key
// and a self-signed certificate, made on first use and kept in the store
// (so signatures verify across restarts), the certificate served at
// SigningCertURL (GET /_fogbank/sns/SimpleNotificationService-<id>.pem).

type signer struct {
	st   store.Store
	once sync.Once
	err  error
	key  *rsa.PrivateKey
	cert []byte // PEM
	name string // hex id in the certificate's file name
}

type keyRecord struct {
	Key  []byte `json:"key"`  // PKCS#1 DER
	Cert []byte `json:"cert"` // PEM
}

func newSigner(st store.Store) *signer { return &signer{st: st} }

func signerKey() []byte { return store.Key("sns", "k") }

// init loads or creates the key and certificate.
func (g *signer) init() error {
	g.once.Do(func() {
		ctx := context.Background()
		raw, err := g.st.Get(ctx, signerKey())
		if err == nil {
			var r keyRecord
			if err = json.Unmarshal(raw, &r); err == nil {
				g.key, err = x509.ParsePKCS1PrivateKey(r.Key)
				g.cert = r.Cert
			}
			if err == nil {
				g.setName()
				return
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			g.err = fmt.Errorf("sns: reading signing key: %w", err)
			return
		}
		g.key, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			g.err = fmt.Errorf("sns: generating signing key: %w", err)
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()),
			Subject:      pkix.Name{CommonName: "sns.amazonaws.com", Organization: []string{"Fogbank"}},
			NotBefore:    time.Now().Add(-24 * time.Hour),
			NotAfter:     time.Now().Add(20 * 365 * 24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			DNSNames:     []string{"sns.amazonaws.com", "localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &g.key.PublicKey, g.key)
		if err != nil {
			g.err = fmt.Errorf("sns: creating certificate: %w", err)
			return
		}
		g.cert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		rec, _ := json.Marshal(keyRecord{Key: x509.MarshalPKCS1PrivateKey(g.key), Cert: g.cert})
		var b store.Batch
		b.Put(signerKey(), rec)
		if err := g.st.Apply(ctx, &b); err != nil {
			g.err = fmt.Errorf("sns: storing signing key: %w", err)
			return
		}
		g.setName()
	})
	return g.err
}

func (g *signer) setName() {
	sum := sha256.Sum256(g.cert)
	g.name = hex.EncodeToString(sum[:8])
}

// certName is the id in SigningCertURL ("" if the key is unavailable).
func (g *signer) certName() string {
	if g.init() != nil {
		return ""
	}
	return g.name
}

// sign signs s with SHA1withRSA (version "1") or SHA256withRSA ("2") and
// returns the base64 signature.
func (g *signer) sign(s, version string) (string, error) {
	if err := g.init(); err != nil {
		return "", err
	}
	var sig []byte
	var err error
	if version == "2" {
		h := sha256.Sum256([]byte(s))
		sig, err = rsa.SignPKCS1v15(rand.Reader, g.key, crypto.SHA256, h[:])
	} else {
		h := sha1.Sum([]byte(s)) //nolint:gosec // SignatureVersion 1
		sig, err = rsa.SignPKCS1v15(rand.Reader, g.key, crypto.SHA1, h[:])
	}
	if err != nil {
		return "", fmt.Errorf("sns: signing: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// serveCert serves the signing certificate (any name: there is one key).
func (s *Service) serveCert(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.PathValue("file"), "SimpleNotificationService-") {
		http.NotFound(w, r)
		return
	}
	if err := s.signer.init(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(s.signer.cert)
}
