package s3

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/fogbank/fogbank/internal/api"
	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// S3 errors the model does not declare as shapes. Messages are AWS's, as
// recorded in shared/conformance/aws-recorded/s3.

// Most of them name what they refer to in members after Message
// (api.Error.Detail), as AWS's documents do: NoSuchBucket its BucketName,
// NoSuchKey its Key, InvalidArgument the ArgumentName and ArgumentValue.

func errNoSuchBucket(bucket string) *api.Error {
	return s3api.NewNoSuchBucket("The specified bucket does not exist").With("BucketName", bucket)
}

func errNoSuchKey(key string) *api.Error {
	return s3api.NewNoSuchKey("The specified key does not exist.").With("Key", key)
}

func errInvalidBucketName(bucket string) *api.Error {
	return s3err("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid.").With("BucketName", bucket)
}

func errBucketNotEmpty(bucket string) *api.Error {
	return s3err("BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty").With("BucketName", bucket)
}

// errNoSuchConfig is the 404 of a bucket setting that is not set (NoSuchTagSet,
// NoSuchBucketPolicy, …), which names the bucket.
func errNoSuchConfig(code, msg, bucket string) *api.Error {
	return s3err(code, http.StatusNotFound, msg).With("BucketName", bucket)
}

func errKeyTooLong() *api.Error {
	return s3err("KeyTooLongError", http.StatusBadRequest, "Your key is too long")
}

func errBadDigest() *api.Error {
	return s3err("BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received.")
}

func errInvalidDigest(contentMD5 string) *api.Error {
	return s3err("InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified was invalid.").With("Content-MD5", contentMD5)
}

// errInvalidRange names the Range header as sent and the object's size.
func errInvalidRange(rng string, size int64) *api.Error {
	return s3err("InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable").
		With("RangeRequested", rng).With("ActualObjectSize", strconv.FormatInt(size, 10))
}

// errPreconditionFailed names the header whose condition failed
// ("If-Match", "x-amz-copy-source-If-None-Match", …).
func errPreconditionFailed(condition string) *api.Error {
	return s3err("PreconditionFailed", http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold").
		With("Condition", condition)
}

// errNotModified is a 304: not an error to the client, but it carries no
// body, which only the error path lets a handler answer with.
func errNotModified() *api.Error { return s3err("NotModified", http.StatusNotModified, "Not Modified") }

// errInvalidArgument names the argument (a header, query parameter or
// element) and the value given; AWS writes an empty ArgumentValue when there
// was none.
func errInvalidArgument(msg, name, value string) *api.Error {
	return s3err("InvalidArgument", http.StatusBadRequest, msg).With("ArgumentName", name).With("ArgumentValue", value)
}

// errInvalidArgumentName is InvalidArgument naming only the argument, as AWS
// does for some (bucket-region, continuation-token, x-amz-object-ownership).
func errInvalidArgumentName(msg, name string) *api.Error {
	return s3err("InvalidArgument", http.StatusBadRequest, msg).With("ArgumentName", name)
}

func errIllegalLocation() *api.Error {
	return s3err("IllegalLocationConstraintException", http.StatusBadRequest,
		"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
}

// errMethodNotAllowed is a request (method GET, PUT, DELETE) on a delete
// marker, the one resource type S3 refuses this way.
func errMethodNotAllowed(method string) *api.Error {
	return s3err("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource.").
		With("Method", method).With("ResourceType", "DeleteMarker")
}

func s3err(code string, status int, msg string) *api.Error {
	return &api.Error{Code: code, Status: status, Sender: true, Message: msg}
}

func errIncompleteBody() *api.Error {
	return s3err("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header")
}

func errNoSuchVersion(key, versionID string) *api.Error {
	return s3err("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.").
		With("Key", key).With("VersionId", versionID)
}

func errMalformedXML() *api.Error {
	return s3err("MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema")
}

// errorsAs is errors.As, named here so files that only test an *api.Error
// need not import errors.
func errorsAs(err error, target **api.Error) bool { return errors.As(err, target) }
