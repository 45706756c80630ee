package lambdaruntime

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/fogbank/fogbank/internal/uuid"
)

// extension is one registered extension (external, from /opt/extensions, or internal, from the
// runtime process). Fogbank delivers INVOKE and SHUTDOWN events to it but, unlike AWS, does not
// make an invocation wait for its extensions: they can register and run, and never hold up or
// hang the environment.
type extension struct {
	id     string
	name   string
	nexted bool // has called event/next (init done for it); guarded by env.mu
	invoke bool
	shut   bool
	events chan []byte
}

func nowUnix() int64 { return time.Now().Unix() }

func (ev *env) handleExtRegister(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Events []string `json:"events"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err := json.Unmarshal(body, &req); err != nil {
		apiError(w, http.StatusBadRequest, "InvalidRequest", "malformed registration: "+err.Error())
		return
	}
	name := r.Header.Get("Lambda-Extension-Name")
	if name == "" {
		apiError(w, http.StatusForbidden, "Extension.InvalidExtensionName", "missing Lambda-Extension-Name header")
		return
	}
	x := &extension{id: uuid.New(), name: name, events: make(chan []byte, 64)}
	for _, e := range req.Events {
		switch e {
		case "INVOKE":
			x.invoke = true
		case "SHUTDOWN":
			x.shut = true
		default:
			apiError(w, http.StatusBadRequest, "InvalidRequest", "unknown event type "+e)
			return
		}
	}
	ev.mu.Lock()
	ev.mu.exts = append(ev.mu.exts, x)
	ev.mu.Unlock()
	w.Header().Set("Lambda-Extension-Identifier", x.id)
	out, _ := json.Marshal(map[string]string{
		"functionName":    ev.fn.Name,
		"functionVersion": ev.fn.Version,
		"handler":         ev.fn.Handler,
		"accountId":       ev.fn.Account,
	})
	writeJSON(w, http.StatusOK, string(out))
}

func (ev *env) extension(id string) *extension {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for _, x := range ev.mu.exts {
		if x.id == id {
			return x
		}
	}
	return nil
}

func (ev *env) handleExtNext(w http.ResponseWriter, r *http.Request) {
	x := ev.extension(r.Header.Get("Lambda-Extension-Identifier"))
	if x == nil {
		apiError(w, http.StatusForbidden, "Extension.UnknownExtensionIdentifier", errNoExtension.Error())
		return
	}
	ev.mu.Lock()
	first := !x.nexted
	x.nexted = true
	ev.mu.Unlock()
	if first {
		ev.extProgress(1, 0)
	}
	select {
	case b := <-x.events:
		w.Header().Set("Lambda-Extension-Event-Identifier", uuid.New())
		writeJSON(w, http.StatusOK, string(b))
	case <-r.Context().Done():
	case <-ev.gone:
	}
}

func (ev *env) handleExtError(w http.ResponseWriter, r *http.Request) {
	if ev.extension(r.Header.Get("Lambda-Extension-Identifier")) == nil {
		apiError(w, http.StatusForbidden, "Extension.UnknownExtensionIdentifier", errNoExtension.Error())
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	ev.logs.line("fogbank: extension reported " + r.Header.Get("Lambda-Extension-Function-Error-Type") + ": " + string(body))
	writeJSON(w, http.StatusAccepted, `{"status":"OK"}`)
}

// handleSubscribe accepts Telemetry and Logs API subscriptions; nothing is delivered yet.
func (ev *env) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	writeJSON(w, http.StatusOK, `"OK"`)
}

func (ev *env) notifyExtensions(c *call) {
	ev.mu.Lock()
	exts := ev.mu.exts
	ev.mu.Unlock()
	if len(exts) == 0 {
		return
	}
	b, _ := json.Marshal(map[string]any{
		"eventType":          "INVOKE",
		"deadlineMs":         c.deadline.UnixMilli(),
		"requestId":          c.inv.RequestID,
		"invokedFunctionArn": ev.fn.ARN,
		"tracing":            map[string]string{"type": "X-Amzn-Trace-Id", "value": c.inv.TraceID},
	})
	for _, x := range exts {
		if x.invoke {
			select {
			case x.events <- b:
			default: // an extension that stopped reading does not hold up invokes
			}
		}
	}
}

// shutdownExtensions sends SHUTDOWN to the extensions that asked for it and gives them a short
// while to call next again (their signal that they are done) before the environment is killed.
func (ev *env) shutdownExtensions() {
	ev.mu.Lock()
	exts := ev.mu.exts
	ev.mu.Unlock()
	var waiting bool
	deadline := time.Now().Add(300 * time.Millisecond)
	b, _ := json.Marshal(map[string]any{"eventType": "SHUTDOWN", "shutdownReason": "spindown", "deadlineMs": deadline.UnixMilli()})
	for _, x := range exts {
		if x.shut {
			select {
			case x.events <- b:
				waiting = true
			default:
			}
		}
	}
	if !waiting {
		return
	}
	for time.Now().Before(deadline) {
		drained := true
		for _, x := range exts {
			if x.shut && len(x.events) > 0 {
				drained = false
			}
		}
		if drained {
			time.Sleep(20 * time.Millisecond) // let it finish handling SHUTDOWN
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
