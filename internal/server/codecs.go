package server

import (
	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/jsonrpc"
	"github.com/fogbank/fogbank/internal/protocol/query"
	"github.com/fogbank/fogbank/internal/protocol/restjson"
	"github.com/fogbank/fogbank/internal/protocol/restxml"
)

// Codecs returns the codec of every wire protocol Fogbank speaks, by the
// protocol's name in the service models. This is the one place codecs are
// listed; a protocol missing here is answered with NotImplemented.
func Codecs() map[string]api.Codec {
	return map[string]api.Codec{
		query.Protocol:    query.Codec{},
		jsonrpc.Protocol:  jsonrpc.Codec{},
		restjson.Protocol: restjson.Codec{},
		restxml.Protocol:  restxml.Codec{},
	}
}
