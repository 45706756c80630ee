package lambdaruntime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Image is what a PackageType Image function runs: a container image the engine's container
// engine has, with the function's ImageConfig overrides.
type Image struct {
	URI              string   // the reference as the user gave it (Code.ImageUri), for logs
	Ref              string   // what to run: the image ID the control plane resolved (so a re-tag does not change the function)
	EntryPoint       []string // nil: the image's ENTRYPOINT
	Command          []string // nil: the image's CMD
	WorkingDirectory string   // "": the image's WORKDIR
}

// ImageInfo is what the container engine knows of an image.
type ImageInfo struct {
	ID          string   // sha256:…
	RepoDigests []string // name@sha256:… when the image came from a registry
	EntryPoint  []string
	Command     []string
	WorkingDir  string
}

// ErrNoContainerEngine is wrapped in the error of anything that needs a container engine
// (PackageType Image) when no Docker or Podman API socket answers. That error also wraps
// ErrRuntimeUnavailable, so an invoke reports it like any runtime the host cannot run.
var ErrNoContainerEngine = errors.New("no container engine is reachable")

// ErrImageNotFound is wrapped when the container engine does not have the image.
var ErrImageNotFound = errors.New("image not found in the container engine")

// containerLabel marks every container the engine starts with its work dir, so tests (and a
// later cleanup) can find leftovers.
const containerLabel = "dev.fogbank.lambda.workdir"

// fnLabel names the qualified function ARN a container runs.
const fnLabel = "dev.fogbank.lambda.function"

// dockerConn is the engine's connection to a container engine, made on first use and kept
// once one answered. Without one, each use looks again (a daemon started later is found).
type dockerConn struct {
	mu    sync.Mutex
	cli   *client.Client
	swept sync.Once // leftovers of an earlier engine on the same work dir removed
}

// containerHosts lists where to look for a Docker-compatible API, in order: Config.ContainerHost,
// then DOCKER_HOST alone when set (the user said where), else Docker's and Podman's (rootless,
// then root) default sockets.
func containerHosts(configured string) []string {
	if configured != "" {
		return []string{configured}
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return []string{h}
	}
	hosts := []string{"unix:///var/run/docker.sock"}
	if x := os.Getenv("XDG_RUNTIME_DIR"); x != "" {
		hosts = append(hosts, "unix://"+x+"/podman/podman.sock")
	}
	return append(hosts, "unix:///run/podman/podman.sock")
}

// docker returns a client of a reachable container engine, or an error wrapping
// ErrRuntimeUnavailable and ErrNoContainerEngine that says where it looked.
func (e *Engine) docker(ctx context.Context) (*client.Client, error) {
	d := &e.impl.docker
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cli != nil {
		return d.cli, nil
	}
	var tried []string
	for _, h := range containerHosts(e.cfg.ContainerHost) {
		if path, ok := strings.CutPrefix(h, "unix://"); ok {
			if _, err := os.Stat(path); err != nil {
				tried = append(tried, h+": no socket")
				continue
			}
		}
		cli, err := client.New(client.WithHost(h))
		if err != nil {
			tried = append(tried, h+": "+err.Error())
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		_, err = cli.Ping(pctx, client.PingOptions{})
		cancel()
		if err != nil {
			_ = cli.Close()
			tried = append(tried, h+": "+err.Error())
			continue
		}
		d.cli = cli
		return cli, nil
	}
	return nil, fmt.Errorf("%w: PackageType Image runs through Docker or Podman, and %w (tried %s; start one, or set DOCKER_HOST)",
		ErrRuntimeUnavailable, ErrNoContainerEngine, strings.Join(tried, "; "))
}

func (d *dockerConn) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cli != nil {
		_ = d.cli.Close()
		d.cli = nil
	}
}

// InspectImage asks the container engine about ref (a name, name:tag, name@digest or ID). It
// fails with ErrNoContainerEngine (wrapped) when none is reachable and ErrImageNotFound when
// the engine lacks the image; it never pulls (AWS would pull from ECR; Fogbank runs what the
// local engine has).
func (e *Engine) InspectImage(ctx context.Context, ref string) (ImageInfo, error) {
	cli, err := e.docker(ctx)
	if err != nil {
		return ImageInfo{}, err
	}
	res, err := cli.ImageInspect(ctx, ref)
	if errdefs.IsNotFound(err) {
		return ImageInfo{}, fmt.Errorf("%w: %s", ErrImageNotFound, ref)
	}
	if err != nil {
		return ImageInfo{}, fmt.Errorf("inspecting image %s: %w", ref, err)
	}
	info := ImageInfo{ID: res.ID, RepoDigests: res.RepoDigests}
	if c := res.Config; c != nil {
		info.EntryPoint, info.Command, info.WorkingDir = c.Entrypoint, c.Cmd, c.WorkingDir
	}
	return info, nil
}

// sweepContainers removes, once per engine, the containers an earlier engine on the same work
// dir left behind (it died without Close): they are labelled with the work dir.
func (e *Engine) sweepContainers(ctx context.Context, cli *client.Client) {
	e.impl.docker.swept.Do(func() {
		res, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", containerLabel+"="+e.impl.workDir)})
		if err != nil {
			return
		}
		for _, c := range res.Items {
			_, _ = cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
		}
	})
}
