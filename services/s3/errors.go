package s3

import (
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/api"
	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// S3 errors the model does not declare as shapes. Messages are AWS's, as
// recorded in shared/conformance/aws-recorded/s3.

func errNoSuchBucket() *api.Error {
	return s3api.NewNoSuchBucket("The specified bucket does not exist")
}

func errNoSuchKey() *api.Error { return s3api.NewNoSuchKey("The specified key does not exist.") }

func errInvalidBucketName() *api.Error {
	return s3err("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid.")
}

func errBucketNotEmpty() *api.Error {
	return s3err("BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty")
}

func errKeyTooLong() *api.Error {
	return s3err("KeyTooLongError", http.StatusBadRequest, "Your key is too long")
}

func errBadDigest() *api.Error {
	return s3err("BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received.")
}

func errInvalidDigest() *api.Error {
	return s3err("InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified was invalid.")
}

func errInvalidRange() *api.Error {
	return s3err("InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable")
}

func errPreconditionFailed() *api.Error {
	return s3err("PreconditionFailed", http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold")
}

// errNotModified is a 304: not an error to the client, but it carries no
// body, which only the error path lets a handler answer with.
func errNotModified() *api.Error { return s3err("NotModified", http.StatusNotModified, "Not Modified") }

func errInvalidArgument(msg string) *api.Error {
	return s3err("InvalidArgument", http.StatusBadRequest, msg)
}

func errIllegalLocation() *api.Error {
	return s3err("IllegalLocationConstraintException", http.StatusBadRequest,
		"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
}

func s3err(code string, status int, msg string) *api.Error {
	return &api.Error{Code: code, Status: status, Sender: true, Message: msg}
}

func errIncompleteBody() *api.Error {
	return s3err("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header")
}

func errNoSuchVersion() *api.Error {
	return s3err("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.")
}

func errMalformedXML() *api.Error {
	return s3err("MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema")
}

// errorsAs is errors.As, named here so files that only test an *api.Error
// need not import errors.
func errorsAs(err error, target **api.Error) bool { return errors.As(err, target) }
