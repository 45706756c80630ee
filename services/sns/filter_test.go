package sns_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

func attr(dt, v string) snstypes.MessageAttributeValue {
	if dt == "Binary" {
		return snstypes.MessageAttributeValue{DataType: aws.String(dt), BinaryValue: []byte(v)}
	}
	return snstypes.MessageAttributeValue{DataType: aws.String(dt), StringValue: aws.String(v)}
}

// TestFilterPolicyMatching publishes through SNS to one filtered queue per
// case and checks which messages arrive: the attribute types as SNS maps
// them to the pattern engine, and body policies on the published message.
func TestFilterPolicyMatching(t *testing.T) {
	type pub struct {
		body  string
		attrs map[string]snstypes.MessageAttributeValue
		want  bool
	}
	none := map[string]snstypes.MessageAttributeValue{}
	cases := []struct {
		name, scope, policy string
		pubs                []pub
	}{
		{"numeric range (test_filter_policy)", "", `{"attr1":[{"numeric":[">",0,"<=",100]}]}`, []pub{
			{"m", map[string]snstypes.MessageAttributeValue{"attr1": attr("Number", "99")}, true},
			{"m", map[string]snstypes.MessageAttributeValue{"attr1": attr("Number", "111")}, false},
			{"m", map[string]snstypes.MessageAttributeValue{"attr1": attr("String", "99")}, false},
		}},
		{"null or anything-but needs the key (test_filter_policy)", "", `{"attr1":[null,{"anything-but":"whatever"}]}`, []pub{
			{"m", none, false},
			{"m", map[string]snstypes.MessageAttributeValue{"attr1": attr("String", "other")}, true},
		}},
		{"exists (test_exists_filter_policy)", "", `{"store":[{"exists":true}]}`, []pub{
			{"m", map[string]snstypes.MessageAttributeValue{"store": attr("Number", "99"), "def": attr("Number", "99")}, true},
			{"m", map[string]snstypes.MessageAttributeValue{"attr1": attr("Number", "111")}, false},
			{"m", map[string]snstypes.MessageAttributeValue{"store": attr("Binary", "x")}, true},
		}},
		{"not exists", "", `{"store":[{"exists":false}]}`, []pub{
			{"m", none, true},
			{"m", map[string]snstypes.MessageAttributeValue{"store": attr("String", "x")}, false},
		}},
		{"String.Array", "", `{"tags":["b"]}`, []pub{
			{"m", map[string]snstypes.MessageAttributeValue{"tags": attr("String.Array", `["a","b"]`)}, true},
			{"m", map[string]snstypes.MessageAttributeValue{"tags": attr("String.Array", `["a"]`)}, false},
		}},
		{"prefix, suffix, equals-ignore-case, custom types", "", `{"a":[{"prefix":"ord-"}],"b":[{"suffix":".png"}],"c":[{"equals-ignore-case":"RED"}]}`, []pub{
			{"m", map[string]snstypes.MessageAttributeValue{"a": attr("String.custom", "ord-1"), "b": attr("String", "x.png"), "c": attr("String", "red")}, true},
			{"m", map[string]snstypes.MessageAttributeValue{"a": attr("String", "inv-1"), "b": attr("String", "x.png"), "c": attr("String", "red")}, false},
		}},
		{"cidr and $or", "", `{"$or":[{"ip":[{"cidr":"10.0.0.0/24"}]},{"n":[{"numeric":["=",5]}]}]}`, []pub{
			{"m", map[string]snstypes.MessageAttributeValue{"ip": attr("String", "10.0.0.7")}, true},
			{"m", map[string]snstypes.MessageAttributeValue{"n": attr("Number.int", "5.0")}, true},
			{"m", map[string]snstypes.MessageAttributeValue{"ip": attr("String", "10.0.1.7")}, false},
		}},
		{"body: nested and dotted keys", "MessageBody", `{"a":{"b":["x"]},"c.d":[{"anything-but":{"prefix":"no"}}]}`, []pub{
			{`{"a":{"b":"x"},"c":{"d":"yes"}}`, none, true},
			{`{"a.b":"x","c.d":"yes"}`, none, true},
			{`{"a":{"b":"x"},"c":{"d":"nope"}}`, none, false},
			{`not json`, none, false},
		}},
		{"body: arrays of objects", "MessageBody", `{"items":{"sku":["s2"]}}`, []pub{
			{`{"items":[{"sku":"s1"},{"sku":"s2"}]}`, none, true},
			{`{"items":[{"sku":"s1"}]}`, none, false},
		}},
	}
	e := newEnv(t)
	topic := e.topic("matching", nil)
	urls := make([]string, len(cases))
	for i, c := range cases {
		u, q := e.queue(fmt.Sprintf("case%d", i))
		urls[i] = u
		attrs := map[string]string{"FilterPolicy": c.policy, "RawMessageDelivery": "true"}
		if c.scope != "" {
			attrs["FilterPolicyScope"] = c.scope
		}
		e.subscribe(topic, "sqs", q, attrs)
	}
	// Every case's messages go to every queue; each queue keeps what its policy matches.
	for i, c := range cases {
		for j, p := range c.pubs {
			e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(fmt.Sprintf("%d/%d %s", i, j, p.body)), MessageAttributes: p.attrs})
		}
	}
	for i, c := range cases {
		got := map[string]bool{}
		for _, m := range e.receive(urls[i]) {
			got[*m.Body] = true
		}
		for j, p := range c.pubs {
			// A body policy sees the message text, which here starts with the case's tag.
			if c.scope == "MessageBody" {
				continue
			}
			if key := fmt.Sprintf("%d/%d %s", i, j, p.body); got[key] != p.want {
				t.Errorf("%s: message %d delivered %v, want %v", c.name, j, got[key], p.want)
			}
		}
	}
	// Body policies: publish the bodies alone, one case at a time.
	for i, c := range cases {
		if c.scope != "MessageBody" {
			continue
		}
		e.receive(urls[i])
		for j, p := range c.pubs {
			e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(p.body)})
			n := len(e.receive(urls[i]))
			if (n == 1) != p.want {
				t.Errorf("%s: body %d (%s) delivered %d, want %v", c.name, j, p.body, n, p.want)
			}
		}
	}
}
