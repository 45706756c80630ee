package lambdaruntime

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// routes is the environment's Runtime API (2018-06-01) and the Extensions (2020-01-01),
// Telemetry (2022-07-01) and Logs (2020-08-15) API basics.
func (ev *env) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", ev.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", ev.handleResponse)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", ev.handleError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", ev.handleInitError)
	mux.HandleFunc("POST /2020-01-01/extension/register", ev.handleExtRegister)
	mux.HandleFunc("GET /2020-01-01/extension/event/next", ev.handleExtNext)
	mux.HandleFunc("POST /2020-01-01/extension/init/error", ev.handleExtError)
	mux.HandleFunc("POST /2020-01-01/extension/exit/error", ev.handleExtError)
	mux.HandleFunc("PUT /2022-07-01/telemetry", ev.handleSubscribe)
	mux.HandleFunc("PUT /2020-08-15/logs", ev.handleSubscribe)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func apiError(w http.ResponseWriter, status int, errType, msg string) {
	writeJSON(w, status, string(errorDoc(errType, msg, false)))
}

// handleNext blocks until an invocation is handed to this environment. Its first call ends the
// init phase.
func (ev *env) handleNext(w http.ResponseWriter, r *http.Request) {
	ev.initOnce.Do(func() { close(ev.initDone) })
	var c *call
	select {
	case c = <-ev.next:
	case <-r.Context().Done():
		return
	case <-ev.gone:
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Lambda-Runtime-Aws-Request-Id", c.inv.RequestID)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(c.deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", ev.fn.ARN)
	trace := c.inv.TraceID
	if trace == "" {
		trace = newTraceID()
	}
	h.Set("Lambda-Runtime-Trace-Id", trace)
	if c.inv.ClientContext != "" {
		// The Runtime API carries the decoded JSON; clients send it base64-encoded.
		if dec, err := base64.StdEncoding.DecodeString(c.inv.ClientContext); err == nil {
			h.Set("Lambda-Runtime-Client-Context", string(dec))
		} else {
			h.Set("Lambda-Runtime-Client-Context", c.inv.ClientContext)
		}
	}
	if c.inv.CognitoIdentity != "" {
		h.Set("Lambda-Runtime-Cognito-Identity", c.inv.CognitoIdentity)
	}
	h.Set("Content-Length", strconv.Itoa(len(c.inv.Payload)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(c.inv.Payload)
}

// current returns the in-flight call with request id, or writes the Runtime API's error.
func (ev *env) current(w http.ResponseWriter, id string) *call {
	ev.mu.Lock()
	c := ev.mu.cur
	ev.mu.Unlock()
	if c == nil || c.inv.RequestID != id {
		apiError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return nil
	}
	select {
	case <-c.done:
		apiError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return nil
	default:
	}
	return c
}

func (ev *env) handleResponse(w http.ResponseWriter, r *http.Request) {
	c := ev.current(w, r.PathValue("id"))
	if c == nil {
		return
	}
	if strings.EqualFold(r.Header.Get("Lambda-Runtime-Function-Response-Mode"), "streaming") {
		ev.streamResponse(w, r, c)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSyncResponse+1))
	if err != nil {
		apiError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	if len(body) > maxSyncResponse {
		_, _ = io.Copy(io.Discard, r.Body)
		c.finish(errorDoc("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291556 bytes).", false), true, "Function.ResponseSizeTooLarge")
		apiError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Exceeded maximum allowed payload size (6291556 bytes).")
		return
	}
	if et := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); et != "" {
		// aws-lambda-go posts io.Reader results chunked and reports a failed read in trailers.
		doc := errorDoc(et, "the function failed while writing its response", false)
		if b, err := base64.StdEncoding.DecodeString(r.Trailer.Get("Lambda-Runtime-Function-Error-Body")); err == nil && len(b) > 0 {
			doc = b
		}
		c.finish(doc, true, et)
		writeJSON(w, http.StatusAccepted, `{"status":"OK"}`)
		return
	}
	if c.inv.Stream != nil {
		// InvokeWithResponseStream on a buffered function: the whole payload is one chunk.
		_, _ = c.inv.Stream.Write(body)
		flush(c.inv.Stream)
	}
	c.finish(body, false, "")
	writeJSON(w, http.StatusAccepted, `{"status":"OK"}`)
}

type flusher interface{ Flush() }

func flush(w io.Writer) {
	if f, ok := w.(flusher); ok {
		f.Flush()
	} else if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// streamResponse relays a streamed response's chunks to the caller as they arrive. A mid-stream
// failure is reported in the Lambda-Runtime-Function-Error-Type/-Body trailers.
func (ev *env) streamResponse(w http.ResponseWriter, r *http.Request, c *call) {
	var buf bytes.Buffer
	dst := io.Writer(&buf)
	if c.inv.Stream != nil {
		dst = c.inv.Stream
	}
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Body.Read(chunk)
		if n > 0 {
			if _, werr := dst.Write(chunk[:n]); werr == nil {
				flush(dst)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			c.finish(errorDoc("Runtime.TruncatedResponse", "response stream interrupted: "+err.Error(), false), true, "Runtime.TruncatedResponse")
			return
		}
	}
	c.streamed = c.inv.Stream != nil
	if et := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); et != "" {
		doc := []byte(nil)
		if b, err := base64.StdEncoding.DecodeString(r.Trailer.Get("Lambda-Runtime-Function-Error-Body")); err == nil && len(b) > 0 {
			doc = b
		} else {
			doc = errorDoc(et, "the function failed while streaming its response", false)
		}
		c.finish(doc, true, et)
	} else if c.streamed {
		c.finish(nil, false, "")
	} else {
		c.finish(buf.Bytes(), false, "")
	}
	writeJSON(w, http.StatusAccepted, `{"status":"OK"}`)
}

func (ev *env) handleError(w http.ResponseWriter, r *http.Request) {
	c := ev.current(w, r.PathValue("id"))
	if c == nil {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxSyncResponse))
	errType := r.Header.Get("Lambda-Runtime-Function-Error-Type")
	body = normalizeErrorBody(body, errType)
	if c.inv.Stream != nil {
		// The control plane reports a streamed error from Result; nothing goes to the body.
		c.streamed = false
	}
	c.finish(body, true, errType)
	writeJSON(w, http.StatusAccepted, `{"status":"OK"}`)
}

// normalizeErrorBody keeps a runtime's JSON error document as it sent it, as AWS does, and
// wraps anything else in one.
func normalizeErrorBody(body []byte, errType string) []byte {
	if json.Valid(body) && len(bytes.TrimSpace(body)) > 0 {
		return body
	}
	if errType == "" {
		errType = "Runtime.Unknown"
	}
	msg := strings.TrimSpace(string(body))
	if msg == "" {
		msg = "Unknown application error occurred"
	}
	return errorDoc(errType, msg, false)
}

func (ev *env) handleInitError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxSyncResponse))
	body = normalizeErrorBody(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
	ev.mu.Lock()
	if ev.mu.initErr == nil {
		ev.mu.initErr = body
	}
	ev.mu.Unlock()
	writeJSON(w, http.StatusAccepted, `{"status":"OK"}`)
	// The runtime should exit now; one that does not is killed, so init ends either way.
	go func() {
		select {
		case <-ev.exited:
		case <-ev.gone:
		default:
			ev.kill()
		}
	}()
}

// newTraceID makes an X-Ray trace header for invocations that came without one.
func newTraceID() string {
	return "Root=1-" + strconv.FormatInt(nowUnix(), 16) + "-" + randHex(12) + ";Parent=" + randHex(8) + ";Sampled=0"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var errNoExtension = errors.New("unknown extension")
