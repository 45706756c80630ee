package fogbank

import (
	"log/slog"
	"os"
	"path/filepath"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/service"
)

// DefaultListen is where Fogbank listens unless told otherwise: loopback
// only, on the port LocalStack made the convention (DESIGN.md, Security).
const DefaultListen = "127.0.0.1:4566"

// DefaultAccount is the account of requests whose access key names none.
const DefaultAccount = "000000000000"

// Options configures a Server. The zero value is a usable configuration:
// DefaultListen, the durable store in DefaultDataDir, every service.
type Options struct {
	// Listen is the TCP address to serve on ("127.0.0.1:0" picks a port).
	Listen string
	// DataDir is the directory of the durable store; DefaultDataDir() when
	// empty. Ignored with Memory. Only one process may use it at a time.
	DataDir string
	// Memory keeps all state in memory: nothing survives the process.
	Memory bool
	// Account is the default account; DefaultAccount when empty.
	Account string
	// Logger receives one line per request and the services' logs; nothing
	// is logged when nil.
	Logger *slog.Logger
	// CORSOrigins are the origins browsers may call Fogbank from. nil allows
	// any ("*"); an empty non-nil slice turns CORS off.
	CORSOrigins []string
	// MaxBodyBytes bounds a request body read whole; server.DefaultMaxBodyBytes
	// when zero.
	MaxBodyBytes int64
	// Version is reported by the health endpoints; Version() when empty.
	Version string
	// Services are the services to serve; services.All() when nil. Tests
	// pass a subset (or fakes).
	Services []service.Info
	// Clock is the process clock; a new clock.Process when nil, which the
	// server owns and closes. Tests may pass their own.
	Clock clock.Clock
}

// DefaultDataDir is $XDG_DATA_HOME/fogbank, or ~/.local/share/fogbank when
// XDG_DATA_HOME is unset, or ./fogbank-data when there is no home directory.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "fogbank")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "fogbank")
	}
	return "fogbank-data"
}

// withDefaults returns o with its zero fields filled in.
func (o Options) withDefaults() Options {
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.DataDir == "" && !o.Memory {
		o.DataDir = DefaultDataDir()
	}
	if o.Account == "" {
		o.Account = DefaultAccount
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.CORSOrigins == nil {
		o.CORSOrigins = []string{"*"}
	}
	if o.Version == "" {
		o.Version = Version()
	}
	return o
}
