package e2e

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // verifying SignatureVersion 1
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// SNS through the real clients: AWS CLI v2 (query), boto3 and the JS SDK
// v3. Each client gets its own server (the failing-endpoint scenario moves
// the clock). Fan-out to two queues with different filters, raw delivery,
// FIFO, an HTTP endpoint that confirms and receives signed notifications
// (verified here with crypto/x509), a failing endpoint whose message lands
// in the dead-letter queue, and the outbox for email and SMS.

var snsClientNames = []string{"aws-cli-v2", "boto3", "js-sdk-v3"}

func snsClients(t *testing.T, fn func(t *testing.T, c *Client, s *Server)) {
	t.Helper()
	for _, c := range clients {
		if !slices.Contains(snsClientNames, c.Name) {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			require(t, c.Name, c.check("sns"))
			require(t, c.Name, c.check("sqs"))
			s := startServer(t, ServerOptions{})
			if r := c.Call(t, s, "sns", "ListTopics", nil); r.Err != nil && r.Err.Code == "NotImplemented" {
				t.Skipf("this fogbank binary does not serve SNS yet (%v)", r.Err)
			}
			fn(t, c, s)
		})
	}
}

// snsQueue creates a queue and returns its URL and ARN.
func snsQueue(t *testing.T, c *Client, s *Server, name string) (string, string) {
	t.Helper()
	in := map[string]any{"QueueName": name}
	if strings.HasSuffix(name, ".fifo") {
		in["Attributes"] = map[string]string{"FifoQueue": "true"}
	}
	url := str(c.Call(t, s, "sqs", "CreateQueue", in).OK(t), "QueueUrl")
	out := c.Call(t, s, "sqs", "GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []string{"QueueArn"}}).OK(t)
	return url, str(out, "Attributes.QueueArn")
}

// snsReceive returns the messages visible in a queue now. Received messages
// stay invisible for the queue's 30 s visibility timeout, so repeated calls
// see each message once without deleting it (one CLI run less per message).
func snsReceive(t *testing.T, c *Client, s *Server, url string) []map[string]any {
	t.Helper()
	var all []map[string]any
	for {
		out := c.Call(t, s, "sqs", "ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": 10,
			"MessageAttributeNames": []string{"All"}, "AttributeNames": []string{"All"}}).OK(t)
		ms, _ := out["Messages"].([]any)
		if len(ms) == 0 {
			return all
		}
		for _, m := range ms {
			all = append(all, m.(map[string]any))
		}
	}
}

func TestSNSFanOutFiltersRawFIFO(t *testing.T) {
	snsClients(t, func(t *testing.T, c *Client, s *Server) {
		topic := str(c.Call(t, s, "sns", "CreateTopic", map[string]any{"Name": "orders"}).OK(t), "TopicArn")
		redURL, redARN := snsQueue(t, c, s, "red")
		bigURL, bigARN := snsQueue(t, c, s, "big")
		c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": redARN,
			"Attributes": map[string]string{"FilterPolicy": `{"color":["red"]}`, "RawMessageDelivery": "true"}}).OK(t)
		c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": bigARN,
			"Attributes": map[string]string{"FilterPolicy": `{"total":[{"numeric":[">",100]}]}`, "FilterPolicyScope": "MessageBody"}}).OK(t)
		for _, p := range []struct{ msg, color string }{{`{"total":500}`, "blue"}, {`{"total":5}`, "red"}, {`{"total":7}`, "green"}} {
			c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": topic, "Message": p.msg,
				"MessageAttributes": map[string]any{"color": map[string]string{"DataType": "String", "StringValue": p.color}}}).OK(t)
		}
		red := snsReceive(t, c, s, redURL)
		if len(red) != 1 || red[0]["Body"] != `{"total":5}` || str(red[0], "MessageAttributes.color.StringValue") != "red" {
			t.Fatalf("red queue (raw, attribute filter): %v", red)
		}
		big := snsReceive(t, c, s, bigURL)
		if len(big) != 1 {
			t.Fatalf("big queue (body filter): %v", big)
		}
		var env map[string]any
		if err := json.Unmarshal([]byte(big[0]["Body"].(string)), &env); err != nil || env["Type"] != "Notification" || env["Message"] != `{"total":500}` {
			t.Fatalf("big queue envelope %v: %v", big[0]["Body"], err)
		}

		fifo := str(c.Call(t, s, "sns", "CreateTopic", map[string]any{"Name": "t.fifo",
			"Attributes": map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"}}).OK(t), "TopicArn")
		fqURL, fqARN := snsQueue(t, c, s, "q.fifo")
		c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": fifo, "Protocol": "sqs", "Endpoint": fqARN,
			"Attributes": map[string]string{"RawMessageDelivery": "true"}}).OK(t)
		for _, m := range []string{"one", "two", "one"} {
			c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": fifo, "Message": m, "MessageGroupId": "g"}).OK(t)
		}
		got := snsReceive(t, c, s, fqURL)
		if len(got) != 2 || got[0]["Body"] != "one" || got[1]["Body"] != "two" || str(got[0], "Attributes.MessageGroupId") != "g" {
			t.Fatalf("fifo queue: %v", got)
		}
		if r := c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": fifo, "Message": "x"}); r.Err == nil || r.Err.Code != "InvalidParameter" {
			t.Fatalf("FIFO publish without group: %+v", r)
		}
	})
}

// snsEndpoint is a local HTTP subscriber.
type snsEndpoint struct {
	mu      sync.Mutex
	got     []map[string]string
	failing bool
	srv     *httptest.Server
}

func newSNSEndpoint(t *testing.T, failing bool) *snsEndpoint {
	ep := &snsEndpoint{failing: failing}
	ep.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]string
		_ = json.Unmarshal(body, &m)
		if m["Type"] != r.Header.Get("x-amz-sns-message-type") || m["TopicArn"] != r.Header.Get("x-amz-sns-topic-arn") {
			t.Errorf("headers %v do not match body %v", r.Header, m)
		}
		ep.mu.Lock()
		ep.got = append(ep.got, m)
		ep.mu.Unlock()
		if m["Type"] == "SubscriptionConfirmation" {
			resp, err := http.Get(m["SubscribeURL"])
			if err == nil {
				resp.Body.Close()
			}
			return
		}
		if ep.failing {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(ep.srv.Close)
	return ep
}

func (ep *snsEndpoint) count(typ string) int {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	n := 0
	for _, m := range ep.got {
		if m["Type"] == typ {
			n++
		}
	}
	return n
}

func (ep *snsEndpoint) last(typ string) map[string]string {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	for i := len(ep.got) - 1; i >= 0; i-- {
		if ep.got[i]["Type"] == typ {
			return ep.got[i]
		}
	}
	return nil
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// verifySNS checks a message's signature with the certificate at its
// SigningCertURL, as AWS's documentation tells subscribers to.
func verifySNS(t *testing.T, m map[string]string) {
	t.Helper()
	resp, err := http.Get(m["SigningCertURL"])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("no certificate at %s", m["SigningCertURL"])
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if m["Type"] != "Notification" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var sb strings.Builder
	for _, k := range keys {
		if v, ok := m[k]; ok {
			sb.WriteString(k + "\n" + v + "\n")
		}
	}
	sig, _ := base64.StdEncoding.DecodeString(m["Signature"])
	if m["SignatureVersion"] == "2" {
		h := sha256.Sum256([]byte(sb.String()))
		err = rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, h[:], sig)
	} else {
		h := sha1.Sum([]byte(sb.String())) //nolint:gosec // SignatureVersion 1
		err = rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA1, h[:], sig)
	}
	if err != nil {
		t.Fatalf("signature of %v: %v", m, err)
	}
}

func TestSNSHTTPEndpointAndDeadLetter(t *testing.T) {
	snsClients(t, func(t *testing.T, c *Client, s *Server) {
		topic := str(c.Call(t, s, "sns", "CreateTopic", map[string]any{"Name": "web",
			"Attributes": map[string]string{"SignatureVersion": "2"}}).OK(t), "TopicArn")
		ep := newSNSEndpoint(t, false)
		c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": topic, "Protocol": "http", "Endpoint": ep.srv.URL}).OK(t)
		eventually(t, "confirmation", func() bool { return ep.count("SubscriptionConfirmation") == 1 })
		verifySNS(t, ep.last("SubscriptionConfirmation"))
		eventually(t, "confirmed", func() bool {
			out := c.Call(t, s, "sns", "GetTopicAttributes", map[string]any{"TopicArn": topic}).OK(t)
			return str(out, "Attributes.SubscriptionsConfirmed") == "1"
		})
		c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": topic, "Message": "signed", "Subject": "hello"}).OK(t)
		eventually(t, "notification", func() bool { return ep.count("Notification") == 1 })
		n := ep.last("Notification")
		if n["Message"] != "signed" || n["Subject"] != "hello" || n["SignatureVersion"] != "2" {
			t.Fatalf("notification %v", n)
		}
		verifySNS(t, n)

		// A failing endpoint: default policy, 3 retries 20 s apart, then the DLQ.
		dlqURL, dlqARN := snsQueue(t, c, s, "dlq")
		bad := newSNSEndpoint(t, true)
		flaky := str(c.Call(t, s, "sns", "CreateTopic", map[string]any{"Name": "flaky"}).OK(t), "TopicArn")
		c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": flaky, "Protocol": "http", "Endpoint": bad.srv.URL,
			"Attributes": map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"` + dlqARN + `"}`}}).OK(t)
		eventually(t, "confirmation", func() bool {
			out := c.Call(t, s, "sns", "GetTopicAttributes", map[string]any{"TopicArn": flaky}).OK(t)
			return str(out, "Attributes.SubscriptionsConfirmed") == "1"
		})
		c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": flaky, "Message": "doomed"}).OK(t)
		eventually(t, "first attempt", func() bool { return bad.count("Notification") == 1 })
		for i := 2; i <= 4; i++ {
			// The failed attempt's retry must be scheduled before the clock moves.
			eventually(t, "retry scheduled", func() bool {
				_, body := s.Do(t, "GET", "/_fogbank/sns/deliveries", nil, nil)
				var d struct{ Deliveries []struct{ Attempts int } }
				return json.Unmarshal(body, &d) == nil && len(d.Deliveries) == 1 && d.Deliveries[0].Attempts == i-1
			})
			if resp, body := s.Do(t, "POST", "/_fogbank/clock", nil, []byte(`{"advance":"20s"}`)); resp.StatusCode != 200 {
				t.Fatalf("advance: %d %s", resp.StatusCode, body)
			}
			eventually(t, "retry", func() bool { return bad.count("Notification") == i })
		}
		var dead []map[string]any
		eventually(t, "dead letter", func() bool { dead = append(dead, snsReceive(t, c, s, dlqURL)...); return len(dead) == 1 })
		if !strings.Contains(dead[0]["Body"].(string), `"Message":"doomed"`) {
			t.Fatalf("dead letter %v", dead[0])
		}
	})
}

func TestSNSOutboxEmailSMS(t *testing.T) {
	snsClients(t, func(t *testing.T, c *Client, s *Server) {
		topic := str(c.Call(t, s, "sns", "CreateTopic", map[string]any{"Name": "mail"}).OK(t), "TopicArn")
		out := c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": topic, "Protocol": "email", "Endpoint": "a@example.com"}).OK(t)
		if str(out, "SubscriptionArn") != "pending confirmation" {
			t.Fatalf("email subscribe: %v", out)
		}
		outbox := func() []map[string]any {
			_, body := s.Do(t, "GET", "/_fogbank/sns/outbox", nil, nil)
			var o struct{ Messages []map[string]any }
			if err := json.Unmarshal(body, &o); err != nil {
				t.Fatalf("outbox %s: %v", body, err)
			}
			return o.Messages
		}
		box := outbox()
		if len(box) != 1 || box[0]["type"] != "SubscriptionConfirmation" {
			t.Fatalf("outbox after subscribe: %v", box)
		}
		resp, err := http.Get(box[0]["subscribeUrl"].(string))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("confirmation link: %v %v", resp, err)
		}
		resp.Body.Close()
		c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": topic, "Message": "newsletter", "Subject": "News"}).OK(t)
		c.Call(t, s, "sns", "Publish", map[string]any{"PhoneNumber": "+15551234567", "Message": "code 1234"}).OK(t)
		box = outbox()
		if len(box) != 3 || box[1]["endpoint"] != "a@example.com" || box[1]["message"] != "newsletter" ||
			box[2]["protocol"] != "sms" || box[2]["endpoint"] != "+15551234567" || box[2]["message"] != "code 1234" {
			t.Fatalf("outbox: %v", box)
		}
	})
}

// TestSNSCrash kills the durable server (SIGKILL) while an HTTP delivery is
// waiting for its retry, and after a publish to a queue was acknowledged;
// restarted on the same data directory, the queue has the message and the
// retry is made when the clock reaches it (a restart loses no delivery).
func TestSNSCrash(t *testing.T) {
	c := anyClient(t, "sns")
	require(t, c.Name, c.check("sqs"))
	dir := t.TempDir()
	s := crashLaunch(t, dir)
	if r := c.Call(t, s, "sns", "ListTopics", nil); r.Err != nil && r.Err.Code == "NotImplemented" {
		t.Skipf("this fogbank binary does not serve SNS yet (%v)", r.Err)
	}
	topic := str(c.Call(t, s, "sns", "CreateTopic", map[string]any{"Name": "durable"}).OK(t), "TopicArn")
	qURL, qARN := snsQueue(t, c, s, "kept")
	c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": qARN,
		"Attributes": map[string]string{"RawMessageDelivery": "true"}}).OK(t)
	ep := newSNSEndpoint(t, true)
	c.Call(t, s, "sns", "Subscribe", map[string]any{"TopicArn": topic, "Protocol": "http", "Endpoint": ep.srv.URL}).OK(t)
	eventually(t, "confirmation", func() bool {
		out := c.Call(t, s, "sns", "GetTopicAttributes", map[string]any{"TopicArn": topic}).OK(t)
		return str(out, "Attributes.SubscriptionsConfirmed") == "2"
	})
	id := str(c.Call(t, s, "sns", "Publish", map[string]any{"TopicArn": topic, "Message": "survivor"}).OK(t), "MessageId")
	eventually(t, "the failed first attempt, its retry scheduled", func() bool {
		_, body := s.Do(t, "GET", "/_fogbank/sns/deliveries", nil, nil)
		var d struct{ Deliveries []struct{ Attempts int } }
		return json.Unmarshal(body, &d) == nil && len(d.Deliveries) == 1 && d.Deliveries[0].Attempts == 1
	})
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-s.done
	ep.mu.Lock()
	ep.failing = false
	ep.mu.Unlock()

	s = crashLaunch(t, dir)
	// The restarted server has another port: the queue URL names it.
	qURL = s.URL + qURL[strings.Index(qURL[len("http://"):], "/")+len("http://"):]
	got := snsReceive(t, c, s, qURL)
	if len(got) != 1 || got[0]["Body"] != "survivor" {
		t.Fatalf("queue after the crash: %v", got)
	}
	if resp, body := s.Do(t, "POST", "/_fogbank/clock", nil, []byte(`{"advance":"20s"}`)); resp.StatusCode != 200 {
		t.Fatalf("advance: %d %s", resp.StatusCode, body)
	}
	eventually(t, "the retry after the crash", func() bool { return ep.count("Notification") == 2 })
	if n := ep.last("Notification"); n["MessageId"] != id || n["Message"] != "survivor" {
		t.Fatalf("retried %v", n)
	}
}
