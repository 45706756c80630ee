package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/internal/router"
)

// errHelp is returned when the user asked for the flags' help.
var errHelp = errors.New("help requested")

// serveConfig is what `fogbank serve` was told, before it becomes Options.
type serveConfig struct {
	listen      string
	dataDir     string
	memory      bool
	account     string
	logLevel    string
	logFormat   string
	corsOrigins string
}

// parseServeFlags reads the flags of `fogbank serve`; environment variables
// (FOGBANK_LISTEN, FOGBANK_DATA_DIR, FOGBANK_ACCOUNT) give the defaults and
// flags win over them.
func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	envOr := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	var c serveConfig
	fs := flag.NewFlagSet("fogbank serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", envOr("FOGBANK_LISTEN", fogbank.DefaultListen), "address to serve on (env FOGBANK_LISTEN)")
	fs.StringVar(&c.dataDir, "data-dir", envOr("FOGBANK_DATA_DIR", fogbank.DefaultDataDir()), "directory of the durable store (env FOGBANK_DATA_DIR)")
	fs.BoolVar(&c.memory, "memory", false, "keep all state in memory; nothing survives a restart")
	fs.StringVar(&c.account, "account", envOr("FOGBANK_ACCOUNT", fogbank.DefaultAccount), "default account id (env FOGBANK_ACCOUNT)")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", "text", "text or json")
	fs.StringVar(&c.corsOrigins, "cors-origins", "*", `comma-separated origins browsers may call from ("*" any, "" none)`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, errHelp
		}
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if !router.IsAccountID(c.account) {
		return c, fmt.Errorf("--account %q is not a 12-digit account id", c.account)
	}
	if _, err := parseLevel(c.logLevel); err != nil {
		return c, err
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("--log-format %q: want text or json", c.logFormat)
	}
	return c, nil
}

// options turns the flags into fogbank.Options, logging to w.
func (c serveConfig) options(w io.Writer) fogbank.Options {
	level, _ := parseLevel(c.logLevel)
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, hopts)
	if c.logFormat == "json" {
		h = slog.NewJSONHandler(w, hopts)
	}
	origins := []string{}
	for _, o := range strings.Split(c.corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	return fogbank.Options{
		Listen:      c.listen,
		DataDir:     c.dataDir,
		Memory:      c.memory,
		Account:     c.account,
		Logger:      slog.New(h),
		CORSOrigins: origins,
	}
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}
