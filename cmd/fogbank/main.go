// Command fogbank runs Fogbank, AWS application services on one port.
//
//	fogbank serve [--listen 127.0.0.1:4566] [--data-dir DIR | --memory] …
//	fogbank version
//
// main only turns flags into fogbank.Options, then calls New, Start and
// waits for a signal; everything else lives in package fogbank.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fogbank/fogbank"
)

// version is set with -ldflags "-X main.version=v1.2.3" by release builds.
var version = ""

// shutdownGrace is how long in-flight requests get to finish after a signal
// before they are cancelled.
const shutdownGrace = 30 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	switch args[0] {
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "fogbank", versionString())
		return 0
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "help", "--help", "-h":
		fmt.Fprintln(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "fogbank: unknown command %q\n%s\n", args[0], usage)
	return 2
}

const usage = `usage: fogbank <command> [flags]

commands:
  serve     run the server (fogbank serve --help for flags)
  version   print the version`

func versionString() string {
	if version != "" {
		return version
	}
	return fogbank.Version()
}

func serve(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseServeFlags(args, os.Getenv, stderr)
	if err != nil {
		if errors.Is(err, errHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "fogbank:", err)
		return 2
	}
	opts := cfg.options(stderr)
	opts.Version = versionString()
	srv, err := fogbank.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "fogbank:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Start(ctx); err != nil {
		fmt.Fprintln(stderr, "fogbank:", err)
		_ = srv.Close()
		return 1
	}
	where := "memory"
	if !opts.Memory {
		where = opts.DataDir
	}
	opts.Logger.Info("fogbank listening", "url", srv.URL(), "data", where, "version", opts.Version)
	// Testcontainers' LocalStack module (Java) waits for this line.
	fmt.Fprintln(stdout, "Ready.")

	code := 0
	select {
	case <-ctx.Done():
		opts.Logger.Info("shutting down", "grace", shutdownGrace)
	case err := <-srv.Done():
		if err != nil {
			opts.Logger.Error("serving failed", "error", err)
			code = 1
		}
	}
	stop() // a second signal kills the process the default way
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		opts.Logger.Error("shutdown", "error", err)
		code = 1
	}
	return code
}
