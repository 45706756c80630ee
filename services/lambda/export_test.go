package lambda

import (
	"time"

	"github.com/fogbank/fogbank/internal/service"
)

// InfoWithTransitions is Info with creates staying Pending and updates
// InProgress for the given durations of the service clock, for tests of the
// conflicts AWS answers meanwhile.
func InfoWithTransitions(pending, updating time.Duration) service.Info {
	return service.Info{Name: Info.Name, New: func(env service.Env) (service.Service, error) {
		s, err := newService(env, transitions{pending: pending, updating: updating})
		if err != nil {
			return nil, err
		}
		return s, nil
	}}
}
