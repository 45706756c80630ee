// Command noop is an SQS endpoint that does nothing: it answers SendMessage,
// SendMessageBatch, ReceiveMessage, DeleteMessage and DeleteMessageBatch (and
// CreateQueue/GetQueueUrl, so a benchmark can set up as it would against
// Fogbank) with minimal valid responses, over both the JSON protocol (current
// SDKs) and the query protocol (AWS CLI v2.9, older SDKs). It keeps no state.
//
// It is the ceiling of the SQS benchmark: a client driving it measures the
// client, HTTP and encoding costs alone, so "fogbank / noop" says what
// Fogbank's own work costs. Responses carry real MD5 digests of the bodies,
// since SDKs check them. Message attributes are ignored: a benchmark against
// noop sends bodies only.
//
// With -wal it is the durable no-op: the same answers, each given only once
// the request's body is fdatasynced to a log file with group commit (see
// Log). It is the floor of any server that acknowledges only what is on
// disk, as Fogbank's default mode does.
//
//	go run ./bench/noop -listen 127.0.0.1:4599
//	go run ./bench/noop -listen 127.0.0.1:4598 -wal /tmp/noop.wal
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:4599", "address to serve on (loopback)")
	walPath := flag.String("wal", "", "make every request durable in this log file before answering it (the durable no-op)")
	walSize := flag.Int64("wal-size", 64<<20, "size of the -wal file, zero-filled at start; the log wraps around")
	interval := flag.Duration("sync-interval", 200*time.Microsecond,
		"least time from the end of one -wal sync to the start of the next (Fogbank's store waits 200µs)")
	flag.Parse()
	srv := New()
	if *walPath != "" {
		l, err := OpenLog(*walPath, *walSize, *interval)
		if err != nil {
			log.Fatal(err)
		}
		srv = NewDurable(l)
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("noop SQS on http://%s", l.Addr())
	log.Fatal(http.Serve(l, srv))
}
