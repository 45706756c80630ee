// Package jsonrpc is the server side of the AWS "json" protocol (JSON 1.0 and
// 1.1): every request is a POST to "/" naming its operation in
// X-Amz-Target ("AmazonSQS.SendMessage"), with the input as a JSON object;
// the response is the output as a JSON object, and errors are
// {"__type": code, "message": …}. Services that are awsQueryCompatible (SQS)
// also send x-amzn-query-error with the query protocol's code, which is how
// current SDKs recover codes like AWS.SimpleQueueService.NonExistentQueue.
//
// Codec is stateless; bodies are read and written by jsonenc, into pooled
// buffers.
package jsonrpc

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/jsonenc"
)

// Protocol is the protocol name this codec serves, as in api.Service.Protocols.
const Protocol = "json"

// Codec implements api.Codec for the json protocol. The zero value is ready
// to use and safe for concurrent use.
type Codec struct{}

var _ api.Codec = Codec{}

// maxInflated bounds a gzip-encoded body once inflated.
const maxInflated = 64 << 20

// Resolve finds the operation named by X-Amz-Target. A missing header, a
// target prefix other than the service's, or an unknown operation is
// UnknownOperationException (400), as AWS JSON services answer.
func (Codec) Resolve(c *api.Call) error {
	svc := c.Service.For(Protocol)
	target := c.Request.Header.Get("X-Amz-Target")
	i := strings.LastIndexByte(target, '.')
	if i < 0 {
		return unknownOperation(target)
	}
	prefix, name := target[:i], target[i+1:]
	if name == "" || (svc.TargetPrefix != "" && prefix != svc.TargetPrefix) {
		return unknownOperation(target)
	}
	op := svc.Operation(name)
	if op == nil {
		return unknownOperation(target)
	}
	c.Op = op
	return nil
}

func unknownOperation(target string) *api.Error {
	msg := "Missing X-Amz-Target header"
	if target != "" {
		msg = "Unknown operation " + target
	}
	return &api.Error{Code: "UnknownOperationException", Status: http.StatusBadRequest, Sender: true, Message: msg}
}

// Decode fills in from the JSON body. An empty body is an empty input.
func (Codec) Decode(c *api.Call, in any) error {
	if c.Op == nil || c.Op.Input == nil || in == nil {
		return nil
	}
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return api.NewInternalFailure()
	}
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	return jsonenc.UnmarshalStruct(body, c.Op.Input, v.Elem(), false)
}

func requestBody(c *api.Call) ([]byte, error) {
	data := c.Body
	if data == nil && c.Request != nil && c.Request.Body != nil {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return nil, api.NewSerializationError("reading request body: %v", err)
		}
		data, c.Body = b, b
	}
	if len(data) > 0 && c.Request != nil && strings.Contains(strings.ToLower(c.Request.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, api.NewSerializationError("gzip body: %v", err)
		}
		b, err := io.ReadAll(io.LimitReader(zr, maxInflated+1))
		if err != nil || len(b) > maxInflated {
			return nil, api.NewSerializationError("gzip body too large or corrupt")
		}
		data = b
	}
	return data, nil
}

// ContentType returns the response media type for svc's JSON version.
func ContentType(svc *api.Service) string {
	if svc != nil && svc.JSONVersion == "1.1" {
		return "application/x-amz-json-1.1"
	}
	return "application/x-amz-json-1.0"
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooled keeps buffers that grew for one large response out of the pool.
const maxPooled = 256 << 10

// Encode writes out as the JSON body ("{}" when the operation has no output).
func (Codec) Encode(w http.ResponseWriter, c *api.Call, out any) error {
	bp := bufPool.Get().(*[]byte)
	buf := (*bp)[:0]
	var err error
	v := reflect.ValueOf(out)
	if c.Op == nil || c.Op.Output == nil || !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		buf = append(buf, "{}"...)
	} else if buf, err = jsonenc.AppendStruct(buf, c.Op.Output, v, false); err != nil {
		bufPool.Put(bp)
		return err
	}
	err = write(w, c, http.StatusOK, buf)
	if cap(buf) <= maxPooled {
		*bp = buf[:0]
		bufPool.Put(bp)
	}
	return err
}

func write(w http.ResponseWriter, c *api.Call, status int, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", ContentType(c.Service))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if c.RequestID != "" {
		h.Set("X-Amzn-Requestid", c.RequestID)
	}
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// EncodeError writes e as {"__type": code, "message": …} plus the members
// of its error shape, with e's status. For awsQueryCompatible services the
// __type carries the service namespace as AWS sends it
// ("com.amazonaws.sqs#QueueDoesNotExist"; clients keep what follows '#'),
// and x-amzn-query-error carries "<QueryCode>;Sender|Receiver" when e has a
// query code.
func (Codec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	if e == nil {
		e = api.NewInternalFailure()
	}
	svc := c.Service
	if svc != nil {
		svc = svc.For(Protocol)
	}
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	typ := e.Code
	if svc != nil && svc.AWSQueryCompatible {
		if e.QueryCode != "" {
			fault := "Receiver"
			if e.Sender {
				fault = "Sender"
			}
			h.Set("X-Amzn-Query-Error", e.QueryCode+";"+fault)
		}
		if svc.EndpointPrefix != "" && !strings.Contains(typ, "#") {
			typ = "com.amazonaws." + strings.ToLower(svc.EndpointPrefix) + "#" + typ
		}
	}
	bp := bufPool.Get().(*[]byte)
	buf := jsonenc.AppendError((*bp)[:0], typ, e)
	_ = write(w, c, e.HTTPStatus(), buf)
	if cap(buf) <= maxPooled {
		*bp = buf[:0]
		bufPool.Put(bp)
	}
}
