// Package restxml is the server side of the AWS rest-xml protocol (S3,
// CloudFront, Route 53). The HTTP binding — routing by method and URI
// template, labels, query parameters, headers, status codes and raw payloads
// — is internal/protocol/rest's; this package supplies the XML body (through
// xmlenc) and the error envelope.
//
// S3 differs from the other rest-xml services in ways clients notice, and
// Codec follows it when the service is S3: errors are a bare <Error> document
// (with RequestId and HostId) instead of <ErrorResponse>, request ids travel
// in x-amz-request-id / x-amz-id-2, response documents carry S3's root
// element names (ListAllMyBucketsResult, …) and namespace, and
// GetBucketLocation's document element is the value itself.
package restxml

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/rest"
	"github.com/fogbank/fogbank/internal/protocol/xmlenc"
)

// Protocol is the name this codec serves in api.Service.Protocols.
const Protocol = "rest-xml"

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>`

// s3Namespace is S3's document namespace; its model does not carry one.
const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// Codec implements api.Codec for rest-xml. It is stateless.
type Codec struct{}

var _ api.Codec = Codec{}

// Resolve finds the operation from the method and path (see rest.Resolve).
// For S3, a virtual-host-style request is first rewritten to path style
// (vhost.go).
func (Codec) Resolve(c *api.Call) error {
	if isS3(c.Service) && c.Request != nil {
		toPathStyle(c.Request)
	}
	return rest.Resolve(c)
}

// Decode binds the request to in; body members and structure payloads are
// read from the XML document, whose root element name is not checked.
// Malformed XML is MalformedXML (400).
func (Codec) Decode(c *api.Call, in any) error { return rest.DecodeRequest(c, in, body{}) }

// Encode writes the response: bound headers and status by rest, the body as
// an XML document named after the output shape (its locationName, S3's
// names, else the shape's name).
func (Codec) Encode(w http.ResponseWriter, c *api.Call, out any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = api.NewInternalFailure()
		}
	}()
	b := body{ns: namespace(c.Service)}
	if c.Op != nil && c.Op.Output != nil {
		b.root = rootName(c)
		b.valueRoot = isS3(c.Service) && c.Op.Name == "GetBucketLocation"
	}
	if isS3(c.Service) && c.RequestID != "" {
		w.Header().Set("x-amz-request-id", c.RequestID)
		w.Header().Set("x-amz-id-2", hostID(c))
	}
	if isS3(c.Service) && c.Op != nil && c.Op.Name == "GetObject" {
		w = partialWriter{w}
	}
	return rest.EncodeResponse(w, c, out, b)
}

// partialWriter turns GetObject's 200 into 206 Partial Content when the
// output carries a Content-Range: S3's model has no status member for it,
// and a ranged GET must answer 206 (clients and the CLI's ranged downloads
// check it).
type partialWriter struct{ http.ResponseWriter }

func (p partialWriter) WriteHeader(status int) {
	if status == http.StatusOK && p.Header().Get("Content-Range") != "" {
		status = http.StatusPartialContent
	}
	p.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (p partialWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// EncodeError writes e. For S3:
//
//	<Error><Code>NoSuchKey</Code><Message>…</Message>…members…<RequestId>…</RequestId><HostId>…</HostId></Error>
//
// (no body for HEAD, whose responses cannot carry one); for other services:
//
//	<ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>…</Error><RequestId>…</RequestId></ErrorResponse>
//
// Header members of the error shape become headers.
func (Codec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	if e == nil {
		e = api.NewInternalFailure()
	}
	h := w.Header()
	for k, vs := range e.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if e.Shape != nil && e.Value != nil {
		func() {
			defer func() { _ = recover() }()
			rest.EncodeHeaders(h, e.Shape, reflect.ValueOf(e.Value))
		}()
	}
	members := xmlenc.AppendErrorDetail(errorMembers(e), e)
	s3 := isS3(c.Service)
	buf := make([]byte, 0, 384)
	buf = append(buf, xmlHeader...)
	if s3 {
		buf = append(buf, "<Error><Code>"...)
		buf = xmlenc.AppendText(buf, e.CodeFor(Protocol))
		buf = append(buf, "</Code><Message>"...)
		buf = xmlenc.AppendText(buf, e.Message)
		buf = append(buf, "</Message>"...)
		buf = append(buf, members...)
		buf = append(buf, "<RequestId>"...)
		buf = xmlenc.AppendText(buf, c.RequestID)
		buf = append(buf, "</RequestId><HostId>"...)
		buf = xmlenc.AppendText(buf, hostID(c))
		buf = append(buf, "</HostId></Error>"...)
		if c.RequestID != "" {
			h.Set("x-amz-request-id", c.RequestID)
			h.Set("x-amz-id-2", hostID(c))
		}
	} else {
		buf = append(buf, "<ErrorResponse"...)
		if ns := namespace(c.Service); ns != "" {
			buf = xmlenc.AppendNamespace(buf, &api.XMLNamespace{URI: ns})
		}
		buf = append(buf, ">"...)
		buf = xmlenc.AppendErrorHead(buf, e, e.CodeFor(Protocol))
		buf = append(buf, members...)
		buf = append(buf, "</Error><RequestId>"...)
		buf = xmlenc.AppendText(buf, c.RequestID)
		buf = append(buf, "</RequestId></ErrorResponse>"...)
	}
	if c.RequestID != "" {
		h.Set("x-amzn-RequestId", c.RequestID)
	}
	if c.Request != nil && c.Request.Method == http.MethodHead {
		buf = nil
	}
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(e.HTTPStatus())
	_, _ = w.Write(buf)
}

// errorMembers returns the error shape's body members, other than those the
// envelope already carries, as XML; a malformed error value yields none.
func errorMembers(e *api.Error) (out []byte) {
	if e.Shape == nil || e.Value == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			out = nil
		}
	}()
	v := reflect.Indirect(reflect.ValueOf(e.Value))
	if v.Kind() != reflect.Struct {
		return nil
	}
	for i := range e.Shape.Members {
		m := &e.Shape.Members[i]
		if m.Ref.Location != api.LocationBody {
			continue
		}
		switch strings.ToLower(m.Name) {
		case "message", "code", "type", "requestid", "hostid":
			continue
		}
		out = xmlenc.AppendMember(out, m, v.Field(m.Field))
	}
	return out
}

func isS3(svc *api.Service) bool {
	return svc != nil && (svc.Name == "s3" || svc.ServiceID == "S3")
}

func namespace(svc *api.Service) string {
	if svc == nil {
		return ""
	}
	svc = svc.For(Protocol)
	if svc.XMLNamespace != "" {
		return svc.XMLNamespace
	}
	if isS3(svc) {
		return s3Namespace
	}
	return ""
}

// hostID is S3's x-amz-id-2; Fogbank has one host, so any stable token does.
func hostID(c *api.Call) string { return "fogbank/" + c.RequestID }

// rootName names the document element of c.Op's response body.
func rootName(c *api.Call) string {
	s := c.Op.Output
	if s.LocationName != "" {
		return s.LocationName
	}
	if isS3(c.Service) {
		if n, ok := s3Root(c.Op.Name); ok {
			return n
		}
	}
	return s.Name
}

// s3Root returns the document element S3 answers op with, where its
// botocore model (which clients parse without looking at the root) does not
// say.
func s3Root(op string) (string, bool) {
	switch op {
	case "ListBuckets":
		return "ListAllMyBucketsResult", true
	case "ListDirectoryBuckets":
		return "ListAllMyDirectoryBucketsResult", true
	case "ListObjects":
		return "ListBucketResult", true
	case "ListObjectsV2":
		return "ListBucketResult", true
	case "ListObjectVersions":
		return "ListVersionsResult", true
	case "ListMultipartUploads":
		return "ListMultipartUploadsResult", true
	case "ListParts":
		return "ListPartsResult", true
	case "CreateMultipartUpload":
		return "InitiateMultipartUploadResult", true
	case "CompleteMultipartUpload":
		return "CompleteMultipartUploadResult", true
	case "GetBucketLocation":
		return "LocationConstraint", true
	case "DeleteObjects":
		return "DeleteResult", true
	case "GetBucketAcl":
		return "AccessControlPolicy", true
	case "GetObjectAcl":
		return "AccessControlPolicy", true
	case "GetBucketTagging":
		return "Tagging", true
	case "GetObjectTagging":
		return "Tagging", true
	case "GetBucketVersioning":
		return "VersioningConfiguration", true
	case "GetBucketCors":
		return "CORSConfiguration", true
	case "GetBucketLifecycleConfiguration":
		return "LifecycleConfiguration", true
	case "GetBucketLifecycle":
		return "LifecycleConfiguration", true
	case "GetBucketNotificationConfiguration":
		return "NotificationConfiguration", true
	case "GetBucketNotification":
		return "NotificationConfiguration", true
	case "GetBucketWebsite":
		return "WebsiteConfiguration", true
	case "GetBucketLogging":
		return "BucketLoggingStatus", true
	case "GetBucketAccelerateConfiguration":
		return "AccelerateConfiguration", true
	case "GetBucketRequestPayment":
		return "RequestPaymentConfiguration", true
	case "GetBucketReplication":
		return "ReplicationConfiguration", true
	case "GetObjectAttributes":
		return "GetObjectAttributesResponse", true
	case "ListBucketAnalyticsConfigurations":
		return "ListBucketAnalyticsConfigurationResult", true
	case "ListBucketInventoryConfigurations":
		return "ListInventoryConfigurationsResult", true
	case "ListBucketMetricsConfigurations":
		return "ListMetricsConfigurationsResult", true
	case "ListBucketIntelligentTieringConfigurations":
		return "ListBucketIntelligentTieringConfigurationsOutput", true
	}
	return "", false
}
