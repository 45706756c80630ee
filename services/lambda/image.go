package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
)

// PackageType Image functions run through the container engine the Lambda engine finds
// (DOCKER_HOST, Docker's or Podman's socket; see docs/lambda-runtime.md).
//
// AWS requires Code.ImageUri to be an ECR image and resolves it to a digest at create/update
// time. Fogbank has no registry in the path: it accepts any reference the local engine has
// and pins the function to that image's ID (so re-tagging does not change a published version;
// CodeSha256 is the ID's hex, ResolvedImageUri repo@sha256:<it>). A reference the engine lacks
// is refused as AWS refuses an image it cannot find. With no engine reachable the function is
// still created (its URI's SHA-256 stands in for the digest) and invoking it fails with an
// InvalidRuntimeException that says no container engine is reachable.

// resolveImage is the code of an image function: the engine's image for uri.
func (s *Service) resolveImage(ctx context.Context, uri string) (storedCode, *api.Error) {
	if s.engine == nil {
		return imageCode(uri), nil
	}
	info, err := s.engine.InspectImage(ctx, uri)
	switch {
	case errors.Is(err, lambdaruntime.ErrNoContainerEngine):
		return imageCode(uri), nil
	case errors.Is(err, lambdaruntime.ErrImageNotFound):
		return storedCode{}, invalidParam("Source image %s does not exist. Provide a valid source image.", uri)
	case err != nil:
		return storedCode{}, api.AsError(fmt.Errorf("lambda: resolving image %s: %w", uri, err))
	}
	id := strings.TrimPrefix(info.ID, "sha256:")
	sum, err := hex.DecodeString(id)
	if err != nil || len(sum) != sha256.Size {
		return storedCode{}, api.AsError(fmt.Errorf("lambda: image %s has an unexpected ID %q", uri, info.ID))
	}
	return storedCode{hex: id, sha256: base64.StdEncoding.EncodeToString(sum)}, nil
}

// engineImage is what the engine runs for an image version (nil for a zip one), and rev, the
// version's pool revision, extended with the ImageConfig so a changed entry point or command
// never reuses an environment started with the old one.
func engineImage(v *fnVersion, rev string) (*lambdaruntime.Image, string) {
	if v.ImageURI == "" {
		return nil, rev
	}
	img := &lambdaruntime.Image{URI: v.ImageURI, Ref: v.ImageURI}
	if v.Sha != imageCode(v.ImageURI).hex {
		img.Ref = "sha256:" + v.Sha // the ID resolved when the code was set
	}
	if ic := v.Config.ImageConfigResponse; ic != nil && ic.ImageConfig != nil {
		img.EntryPoint, img.Command = ic.ImageConfig.EntryPoint, ic.ImageConfig.Command
		img.WorkingDirectory = api.ToString(ic.ImageConfig.WorkingDirectory)
	}
	b, _ := json.Marshal(img)
	h := sha256.Sum256(append([]byte(rev), b...))
	return img, hex.EncodeToString(h[:8])
}
