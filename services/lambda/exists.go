package lambda

import "context"

// FunctionExists reports whether functionARN (optionally qualified by a
// version or alias) names a function, for services that check a target when
// it is configured rather than when it is used: S3 refuses a notification
// configuration naming a missing function, as AWS does. They declare:
//
//	type functionChecker interface {
//		FunctionExists(ctx context.Context, functionARN string) bool
//	}
func (s *Service) FunctionExists(ctx context.Context, functionARN string) bool {
	m := fnARNRE.FindStringSubmatch(functionARN)
	if m == nil {
		return false
	}
	r := fnRef{account: m[2], region: m[1], name: m[3], qualifier: m[4]}
	f := s.lookup(r.key())
	if f == nil {
		return false
	}
	_, err := s.target(f, r)
	return err == nil
}
