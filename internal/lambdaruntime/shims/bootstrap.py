# Fogbank's Lambda runtime client for Python: speaks the Lambda Runtime API at
# AWS_LAMBDA_RUNTIME_API, loads _HANDLER ("module.function", "dir/module.function") from
# LAMBDA_TASK_ROOT and reports results and errors in the shapes AWS's awslambdaric uses.
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

_SHIM = os.path.abspath(__file__)
_API = os.environ["AWS_LAMBDA_RUNTIME_API"]
_HOST, _PORT = _API.rsplit(":", 1)
_request_id = ""


class _Response(object):
    def __init__(self, status, headers):
        self.status, self.headers = status, headers

    def getheader(self, name):
        return self.headers.get(name.lower())


class _Conn(object):
    """A minimal HTTP/1.1 client on one kept-alive socket: the runtime loop is sequential, and
    http.client's generality costs more per invoke than the Runtime API needs."""

    def __init__(self):
        self.sock = None
        self.buf = b""

    def _connect(self):
        self.sock = socket.create_connection((_HOST, int(_PORT)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _fill(self):
        d = self.sock.recv(65536)
        if not d:
            raise ConnectionError("runtime API connection closed")
        self.buf += d

    def request(self, method, path, body=None, headers=None):
        if self.sock is None:
            self._connect()
        if isinstance(body, str):
            body = body.encode("utf-8")
        head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, path, _API)
        for k, v in (headers or {}).items():
            head += "%s: %s\r\n" % (k, v)
        head += "Content-Length: %d\r\n\r\n" % (len(body) if body else 0)
        self.sock.sendall(head.encode("latin-1") + (body or b""))
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        raw, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        hdrs = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if "content-length" in hdrs:
            n = int(hdrs["content-length"])
            while len(self.buf) < n:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n:]
        elif hdrs.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                while b"\r\n" not in self.buf:
                    self._fill()
                size_line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    while b"\r\n" not in self.buf:
                        self._fill()
                    self.buf = self.buf.split(b"\r\n", 1)[1]
                    break
                while len(self.buf) < size + 2:
                    self._fill()
                data += self.buf[:size]
                self.buf = self.buf[size + 2:]
        else:
            data = b""
        return _Response(status, hdrs), data


_conn = _Conn()


def _call(method, path, body=None, headers=None):
    global _conn
    for attempt in (0, 1):
        try:
            return _conn.request(method, path, body, headers)
        except OSError:
            _conn = _Conn()
            if attempt:
                raise


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


def _setup_logging():
    h = logging.StreamHandler(sys.stdout)
    f = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    f.converter = time.gmtime
    h.setFormatter(f)
    h.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(h)
    root.setLevel(logging.WARNING)


class _Obj(object):
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return repr(self.__dict__)


def _client_context(raw):
    if not raw:
        return None
    try:
        d = json.loads(raw)
    except ValueError:
        return None
    c = d.get("client") or {}
    client = _Obj(installation_id=c.get("installation_id"), app_title=c.get("app_title"),
                  app_version_name=c.get("app_version_name"), app_version_code=c.get("app_version_code"),
                  app_package_name=c.get("app_package_name")) if c else None
    return _Obj(client=client, custom=d.get("custom"), env=d.get("env"))


class LambdaContext(object):
    def __init__(self, request_id, deadline_ms, arn, client_context, cognito):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.client_context = _client_context(client_context)
        ident = {}
        if cognito:
            try:
                ident = json.loads(cognito)
            except ValueError:
                ident = {}
        self.identity = _Obj(cognito_identity_id=ident.get("cognitoIdentityId"),
                             cognito_identity_pool_id=ident.get("cognitoIdentityPoolId"))
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,function_name=%s,function_version=%s,invoked_function_arn=%s])" % (
            self.aws_request_id, self.function_name, self.function_version, self.invoked_function_arn)


def _frames(tb):
    out = [f for f in traceback.extract_tb(tb) if os.path.abspath(f[0]) != _SHIM]
    return traceback.format_list(out)


def _error_doc(etype, msg, tb, request_id):
    return {"errorMessage": msg, "errorType": etype, "requestId": request_id, "stackTrace": _frames(tb) if tb else []}


def _log_error(doc):
    sys.stdout.write("[ERROR] %s: %s\n" % (doc["errorType"], doc["errorMessage"]))
    if doc.get("stackTrace"):
        sys.stdout.write("Traceback (most recent call last):\n" + "".join(doc["stackTrace"]))
    sys.stdout.flush()


class _InitError(Exception):
    def __init__(self, etype, msg, tb=None):
        Exception.__init__(self, msg)
        self.etype, self.msg, self.tb = etype, msg, tb


def _load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise _InitError("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e))
    modname = modname.replace("/", ".")
    if modname.split(".")[0] in sys.builtin_module_names:
        raise _InitError("Runtime.BuiltInModuleConflict",
                         "Cannot use built-in module %s as a handler module" % modname)
    try:
        m = importlib.import_module(modname)
    except ImportError as e:
        raise _InitError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        raise _InitError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e),
                         sys.exc_info()[2])
    except Exception as e:
        raise _InitError(type(e).__name__, str(e), sys.exc_info()[2])
    fn = getattr(m, fname, None)
    if fn is None:
        raise _InitError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))
    return fn


class _BotocoreEndpointPatch(object):
    """Makes an old botocore (before 1.31, which added AWS_ENDPOINT_URL) honour
    AWS_ENDPOINT_URL, so a function's boto3 calls reach Fogbank on Pythons older than 3.10."""

    def find_spec(self, name, path=None, target=None):
        if name != "botocore.session":
            return None
        sys.meta_path.remove(self)
        try:
            import importlib.util
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        orig_exec = loader.exec_module

        def exec_module(module):
            orig_exec(module)
            create = module.Session.create_client

            def create_client(self, service_name, *args, **kwargs):
                if len(args) < 5 and kwargs.get("endpoint_url") is None and os.environ.get("AWS_ENDPOINT_URL"):
                    kwargs["endpoint_url"] = os.environ["AWS_ENDPOINT_URL"]
                return create(self, service_name, *args, **kwargs)

            module.Session.create_client = create_client
            sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _BotocoreEndpointPatch)]

        loader.exec_module = exec_module
        return spec


def main():
    global _request_id
    if os.environ.get("FOGBANK_BOTOCORE_ENDPOINT_PATCH"):
        sys.meta_path.insert(0, _BotocoreEndpointPatch())
    _setup_logging()
    task_root = os.environ.get("LAMBDA_TASK_ROOT", ".")
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    try:
        handler = _load_handler(os.environ.get("_HANDLER", ""))
    except _InitError as e:
        doc = _error_doc(e.etype, e.msg, e.tb, "")
        _log_error(doc)
        _call("POST", "/2018-06-01/runtime/init/error", json.dumps(doc),
              {"Lambda-Runtime-Function-Error-Type": e.etype, "Content-Type": "application/json"})
        sys.exit(1)
    while True:
        r, body = _call("GET", "/2018-06-01/runtime/invocation/next")
        rid = r.getheader("Lambda-Runtime-Aws-Request-Id") or ""
        _request_id = rid
        trace = r.getheader("Lambda-Runtime-Trace-Id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        ctx = LambdaContext(rid, int(r.getheader("Lambda-Runtime-Deadline-Ms") or 0),
                            r.getheader("Lambda-Runtime-Invoked-Function-Arn"),
                            r.getheader("Lambda-Runtime-Client-Context"),
                            r.getheader("Lambda-Runtime-Cognito-Identity"))
        try:
            event = json.loads(body.decode("utf-8")) if body else {}
        except ValueError as e:
            doc = _error_doc("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e, None, rid)
            _log_error(doc)
            _post_error(rid, doc)
            continue
        try:
            result = handler(event, ctx)
        except Exception as e:
            doc = _error_doc(type(e).__name__, str(e), sys.exc_info()[2], rid)
            _log_error(doc)
            _post_error(rid, doc)
            continue
        try:
            out = json.dumps(result)
        except (TypeError, ValueError) as e:
            doc = _error_doc("Runtime.MarshalError", "Unable to marshal response: %s" % e, None, rid)
            _log_error(doc)
            _post_error(rid, doc)
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        _call("POST", "/2018-06-01/runtime/invocation/%s/response" % rid, out.encode("utf-8"),
              {"Content-Type": "application/json"})


def _post_error(rid, doc):
    sys.stdout.flush()
    sys.stderr.flush()
    _call("POST", "/2018-06-01/runtime/invocation/%s/error" % rid, json.dumps(doc).encode("utf-8"),
          {"Lambda-Runtime-Function-Error-Type": doc["errorType"], "Content-Type": "application/json"})


if __name__ == "__main__":
    main()
