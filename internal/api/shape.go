// Package api holds what the generated wire layer and the protocol codecs share:
// the schema of a service (shapes, members, operations) as read from the AWS
// service models, the AWS error value every handler returns, and the Codec
// interface each wire protocol implements.
//
// The schema is data, built once by generated code (internal/api/<service>) and
// never mutated afterwards, so codecs may read it from any goroutine without
// locks. Codecs walk a schema and a typed Go value side by side: a structure
// shape describes a Go struct whose field Member.Field holds member Member.Name.
package api

import "reflect"

// Type is the type of a shape in the botocore model format.
type Type uint8

// The shape types of the botocore model format.
const (
	TypeStructure Type = iota + 1
	TypeList
	TypeMap
	TypeString
	TypeInteger // Go int32
	TypeLong    // Go int64
	TypeFloat   // Go float32
	TypeDouble  // Go float64
	TypeBoolean
	TypeTimestamp // Go time.Time
	TypeBlob      // Go []byte (or io.ReadCloser when Streaming)
	TypeByte      // Go int8
	TypeShort     // Go int16
	TypeBigInteger
	TypeBigDecimal
)

var typeNames = [...]string{
	TypeStructure:  "structure",
	TypeList:       "list",
	TypeMap:        "map",
	TypeString:     "string",
	TypeInteger:    "integer",
	TypeLong:       "long",
	TypeFloat:      "float",
	TypeDouble:     "double",
	TypeBoolean:    "boolean",
	TypeTimestamp:  "timestamp",
	TypeBlob:       "blob",
	TypeByte:       "byte",
	TypeShort:      "short",
	TypeBigInteger: "biginteger",
	TypeBigDecimal: "bigdecimal",
}

func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "unknown"
}

// ParseType returns the Type named by a model's "type" field, or 0.
func ParseType(s string) Type {
	for i, n := range typeNames {
		if n == s {
			return Type(i)
		}
	}
	return 0
}

// Location says where in an HTTP message a member is bound (REST protocols).
type Location uint8

// Member locations; LocationBody is the zero value.
const (
	LocationBody        Location = iota
	LocationHeader               // "header": one header named Ref.LocationName
	LocationHeaders              // "headers": a map of headers sharing the prefix Ref.LocationName
	LocationQueryString          // "querystring": a query parameter (a map member takes all the rest)
	LocationURI                  // "uri": a {label} or {label+} in the request URI
	LocationStatusCode           // "statusCode": the HTTP status of a response
)

// ParseLocation returns the Location for a model's "location" field.
func ParseLocation(s string) Location {
	switch s {
	case "header":
		return LocationHeader
	case "headers":
		return LocationHeaders
	case "querystring":
		return LocationQueryString
	case "uri":
		return LocationURI
	case "statusCode":
		return LocationStatusCode
	}
	return LocationBody
}

// Timestamp formats named by "timestampFormat". The empty string means the
// protocol's default (iso8601 for query/rest-xml bodies, unixTimestamp for JSON
// bodies, rfc822 in headers, iso8601 in query strings and URIs).
const (
	TimestampISO8601 = "iso8601"
	TimestampRFC822  = "rfc822"
	TimestampUnix    = "unixTimestamp"
)

// XMLNamespace is an "xmlNamespace" trait.
type XMLNamespace struct {
	Prefix string
	URI    string
}

// Ref is a reference to a shape together with the traits a model may set where
// the shape is used: on a structure member, a list member, or a map key/value.
type Ref struct {
	Shape *Shape

	Location     Location
	LocationName string // wire name; empty means the member name
	QueryName    string // ec2 "queryName"

	XMLNamespace *XMLNamespace
	XMLAttribute bool
	Flattened    bool // a list or map serialized without a wrapper element

	TimestampFormat  string // overrides Shape.TimestampFormat
	JSONValue        bool   // a string holding JSON, sent base64 in headers
	IdempotencyToken bool
	HostLabel        bool
	EventPayload     bool
	Streaming        bool
}

// Member is a named member of a structure.
type Member struct {
	Name     string
	Ref      Ref
	Required bool
	// Field is the index of the Go struct field that holds this member in the
	// structure's GoType.
	Field int
}

// Shape is a shape of the model. Fields that do not apply to Type are zero.
type Shape struct {
	Name string
	Type Type

	// Structure.
	Members  []Member
	Payload  string // name of the member that is the whole HTTP body
	Union    bool
	Document bool
	// Exception is set on error shapes; Error holds their "error" trait.
	Exception bool
	Error     ErrorTrait
	// GoType is the Go type a value of this shape has: for a structure the
	// struct type (values are handled through pointers to it).
	GoType reflect.Type

	// List.
	Member *Ref
	// Map.
	Key, Value *Ref

	// Flattened, LocationName and XMLNamespace as set on the shape itself
	// (member-level settings in Ref win).
	Flattened    bool
	LocationName string
	XMLNamespace *XMLNamespace

	// Scalars.
	TimestampFormat string
	Enum            []string
	// Min and Max bound a string's or list's length, a map's size, or a
	// number's value. HasMin/HasMax say whether the model set them.
	Min, Max       float64
	HasMin, HasMax bool
	Pattern        string
	Sensitive      bool
	Streaming      bool
	EventStream    bool
	RequiresLength bool

	// byName indexes Members; built lazily by MemberByName via Index.
	byName map[string]int
}

// ErrorTrait is a shape's "error" trait.
type ErrorTrait struct {
	Code           string // the awsQueryError code, for query and query-compatible services
	HTTPStatusCode int
	SenderFault    bool
}

// Index builds the lookup tables of s and every shape reachable from it. The
// generated code calls it once per service before the schema is shared; a
// schema is never modified after that.
func (s *Shape) Index() {
	seen := map[*Shape]bool{}
	var walk func(*Shape)
	walk = func(s *Shape) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.Type == TypeStructure {
			s.byName = make(map[string]int, len(s.Members))
			for i := range s.Members {
				s.byName[s.Members[i].Name] = i
				walk(s.Members[i].Ref.Shape)
			}
		}
		if s.Member != nil {
			walk(s.Member.Shape)
		}
		if s.Key != nil {
			walk(s.Key.Shape)
		}
		if s.Value != nil {
			walk(s.Value.Shape)
		}
	}
	walk(s)
}

// MemberByName returns the member called name, or nil.
func (s *Shape) MemberByName(name string) *Member {
	if s.byName != nil {
		if i, ok := s.byName[name]; ok {
			return &s.Members[i]
		}
		return nil
	}
	for i := range s.Members {
		if s.Members[i].Name == name {
			return &s.Members[i]
		}
	}
	return nil
}

// WireName is the name a member has on the wire: its locationName if the model
// sets one, else the shape's, else the member name.
func (m *Member) WireName() string {
	if m.Ref.LocationName != "" {
		return m.Ref.LocationName
	}
	return m.Name
}

// TimestampFormatOr returns the timestamp format set on r or its shape, or def.
func (r *Ref) TimestampFormatOr(def string) string {
	if r.TimestampFormat != "" {
		return r.TimestampFormat
	}
	if r.Shape != nil && r.Shape.TimestampFormat != "" {
		return r.Shape.TimestampFormat
	}
	return def
}

// IsFlattened reports whether the list or map r refers to is flattened.
func (r *Ref) IsFlattened() bool { return r.Flattened || (r.Shape != nil && r.Shape.Flattened) }

// Namespace returns the XML namespace set on r, else on its shape, or nil.
func (r *Ref) Namespace() *XMLNamespace {
	if r.XMLNamespace != nil {
		return r.XMLNamespace
	}
	if r.Shape != nil {
		return r.Shape.XMLNamespace
	}
	return nil
}
