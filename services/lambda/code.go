package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	kflate "github.com/klauspost/compress/flate"

	"github.com/fogbank/fogbank/internal/api"
)

// AWS's deployment package limits.
const (
	maxZipped   = 50 << 20  // 52428800: a zip uploaded in the request
	maxUnzipped = 250 << 20 // 262144000: its contents
	// maxS3Zip is what a zip from S3 may weigh: AWS takes up to the
	// unzipped limit from S3 (the 50 MB limit is for direct uploads).
	maxS3Zip = maxUnzipped
)

// objectOpener is S3's in-process read (services/s3/open.go).
type objectOpener interface {
	OpenObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, int64, error)
}

// storedCode is a zip kept under code/.
type storedCode struct {
	hex    string // hex SHA-256, the file and directory name
	sha256 string // base64 SHA-256, as CodeSha256 reports it
	size   int64
}

func (s *Service) codeDir(hexSha string) string {
	return filepath.Join(s.codeRoot, "code", hexSha)
}

// codeURL is where GetFunction's Code.Location points: this server.
func (s *Service) codeURL(hexSha string) string {
	return s.endpoint() + "/_fogbank/lambda/code/" + hexSha + ".zip"
}

// storeCode takes a zip from the request or from S3, checks AWS's limits,
// keeps the zip and unzips it once per distinct content.
func (s *Service) storeCode(ctx context.Context, zipFile []byte, bucket, key, version *string) (storedCode, *api.Error) {
	data := zipFile
	if data == nil {
		var e *api.Error
		data, e = s.readS3(ctx, api.ToString(bucket), api.ToString(key), api.ToString(version))
		if e != nil {
			return storedCode{}, e
		}
	} else if len(data) > maxZipped {
		return storedCode{}, tooLarge(fmt.Sprintf("Zipped size must be smaller than %d bytes", maxZipped))
	}
	sum := sha256.Sum256(data)
	sc := storedCode{hex: hex.EncodeToString(sum[:]), sha256: base64.StdEncoding.EncodeToString(sum[:]), size: int64(len(data))}
	dir := s.codeDir(sc.hex)
	if _, err := os.Stat(dir); err == nil {
		return sc, nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return storedCode{}, invalidParam("Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > maxUnzipped {
		return storedCode{}, invalidParam("Unzipped size must be smaller than %d bytes", maxUnzipped)
	}
	// The zip is kept (written and, unless in memory mode, fsynced) while it
	// is unpacked: the two are independent, and on a machine with two cores
	// this takes the write off the create's critical path, which inflating
	// the package already fills.
	zipPath := filepath.Join(s.codeRoot, "code", sc.hex+".zip")
	kept := make(chan error, 1)
	go func() { kept <- writeFile(zipPath, data, !s.removeRoot) }()
	uerr := s.unpack(zr, dir)
	kerr := <-kept
	switch {
	case uerr != nil:
		_ = os.Remove(zipPath) // what cannot be unpacked is not kept
		if errors.Is(uerr, errTooBig) {
			return storedCode{}, invalidParam("Unzipped size must be smaller than %d bytes", maxUnzipped)
		}
		if errors.Is(uerr, errBadZip) {
			return storedCode{}, invalidParam("Could not unzip uploaded file. Please check your file, then try to upload again.")
		}
		return storedCode{}, api.AsError(uerr)
	case kerr != nil:
		_ = os.RemoveAll(dir) // no unpacked code without its zip
		return storedCode{}, api.AsError(fmt.Errorf("lambda: keeping the zip: %w", kerr))
	}
	return sc, nil
}

// inflate reads Deflate entries with klauspost/compress's decoder, which
// inflates a Go binary half again as fast as compress/flate on this
// machine: unpacking is most of a create's time for a compiled runtime.
func inflate(r io.Reader) io.ReadCloser { return kflate.NewReader(r) }

// errBadZip marks an archive that cannot be extracted.
var errBadZip = errors.New("bad zip")

// unpack extracts zr into dir through a temporary directory renamed into
// place, so dir is either absent or complete (after a process crash).
func (s *Service) unpack(zr *zip.Reader, dir string) error {
	zr.RegisterDecompressor(zip.Deflate, inflate)
	tmp, err := os.MkdirTemp(filepath.Join(s.codeRoot, "code"), ".unzip-")
	if err != nil {
		return fmt.Errorf("lambda: unzipping: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := unzip(zr, tmp); err != nil {
		if errors.Is(err, errTooBig) {
			return err
		}
		return fmt.Errorf("%w: %w", errBadZip, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(dir); serr != nil { // not a concurrent upload of the same zip
			return fmt.Errorf("lambda: unzipping: %w", err)
		}
	}
	return nil
}

// writeFile writes data to path through a temporary file renamed over it,
// so path is either absent or complete. durable makes it the way every
// acknowledged write is made: the file is fsynced before the rename and the
// directory after, so a crash leaves either no file or all of it. The zip
// is the deployment package's one durable copy; its unpacked directory is
// a cache that ensureUnpacked remakes. In memory mode the code directory is
// temporary and nothing is synced.
func writeFile(path string, data []byte, durable bool) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".zip-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if !durable {
		return nil
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ensureUnpacked remakes the unpacked directory of the zip with hex SHA-256
// hexSha when it is missing (a data dir copied without it, or a crash
// between the zip's fsync and the directory's rename); an image function's
// code has no zip, and nothing is done.
func (s *Service) ensureUnpacked(hexSha string) error {
	dir := s.codeDir(hexSha)
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	zr, err := zip.OpenReader(filepath.Join(s.codeRoot, "code", hexSha+".zip"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lambda: reopening code %s: %w", hexSha, err)
	}
	defer zr.Close()
	return s.unpack(&zr.Reader, dir)
}

var errTooBig = errors.New("unzipped size over the limit")

// imageCode stands for a container image: there is no zip, and the image
// digest AWS reports is unknown without a registry, so the SHA-256 of the
// URI takes its place.
func imageCode(uri string) storedCode {
	sum := sha256.Sum256([]byte(uri))
	return storedCode{hex: hex.EncodeToString(sum[:]), sha256: base64.StdEncoding.EncodeToString(sum[:])}
}

// unzip extracts zr into dir; names escaping dir fail it, and the sizes the
// headers claim are enforced on the bytes actually written.
func unzip(zr *zip.Reader, dir string) error {
	var written int64
	for _, f := range zr.File {
		name := filepath.FromSlash(f.Name)
		if filepath.IsAbs(name) || strings.HasPrefix(filepath.Clean(name), "..") {
			return fmt.Errorf("entry %q escapes the code directory", f.Name)
		}
		p := filepath.Join(dir, name)
		mode := f.Mode()
		if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if mode&os.ModeSymlink != 0 {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			target, err := io.ReadAll(io.LimitReader(rc, 4096))
			rc.Close()
			if err != nil {
				return err
			}
			if err := os.Symlink(string(target), p); err != nil {
				return err
			}
			continue
		}
		perm := mode.Perm()
		if perm == 0 {
			perm = 0o644
		}
		perm |= 0o444 // readable by the function whatever the zip says
		if err := writeEntry(f, p, perm, &written); err != nil {
			return err
		}
	}
	return nil
}

func writeEntry(f *zip.File, p string, perm os.FileMode, written *int64) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(rc, maxUnzipped-*written+1))
	*written += n
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if *written > maxUnzipped {
		return errTooBig
	}
	return nil
}

// readS3 reads a zip from S3 in-process, with AWS's errors when S3 or the
// object is missing.
func (s *Service) readS3(ctx context.Context, bucket, key, version string) ([]byte, *api.Error) {
	var o objectOpener
	if s.env.Peers != nil {
		o, _ = s.env.Peers.Lookup("s3").(objectOpener)
	}
	if o == nil {
		return nil, invalidParam("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist")
	}
	rc, size, err := o.OpenObject(ctx, bucket, key, version)
	if err != nil {
		ae := api.AsError(err)
		return nil, invalidParam("Error occurred while GetObject. S3 Error Code: %s. S3 Error Message: %s", ae.Code, ae.Message)
	}
	defer rc.Close()
	if size > maxS3Zip {
		return nil, invalidParam("Unzipped size must be smaller than %d bytes", maxUnzipped)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxS3Zip+1))
	if err != nil {
		return nil, api.AsError(fmt.Errorf("lambda: reading s3://%s/%s: %w", bucket, key, err))
	}
	return data, nil
}

// serveCode answers GET /_fogbank/lambda/code/<sha>.zip, the download
// GetFunction's Code.Location names.
func (s *Service) serveCode(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	h := strings.TrimSuffix(file, ".zip")
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" || !strings.HasSuffix(file, ".zip") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	http.ServeFile(w, r, filepath.Join(s.codeRoot, "code", file))
}
