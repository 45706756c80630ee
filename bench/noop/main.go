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
//	go run ./bench/noop -listen 127.0.0.1:4599
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:4599", "address to serve on (loopback)")
	flag.Parse()
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("noop SQS on http://%s", l.Addr())
	log.Fatal(http.Serve(l, New()))
}
