'use strict';
// Fogbank's Lambda runtime client for Node.js: speaks the Lambda Runtime API at
// AWS_LAMBDA_RUNTIME_API, loads _HANDLER ("file.fn", "dir/file.fn", "file.a.b") from
// LAMBDA_TASK_ROOT as CommonJS or ES module, and reports results and errors in the shapes AWS's
// Node runtime uses (async handlers, callbacks, awslambda.streamifyResponse).
const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const STREAM = Symbol.for('aws.lambda.runtime.handler.streaming');
let requestId = '';

// call sends one request over a single kept-alive socket with a minimal HTTP/1.1 client: the
// runtime loop is sequential, and node's http client costs about a millisecond per invoke here.
// Streaming responses use node's http module instead (streamingInvoke).
const net = require('net');
let sock = null;
let inbuf = Buffer.alloc(0);
let waiter = null;

function connect() {
  sock = net.connect({ host: HOST, port: Number(PORT) });
  sock.setNoDelay(true);
  inbuf = Buffer.alloc(0);
  sock.on('data', (d) => { inbuf = inbuf.length ? Buffer.concat([inbuf, d]) : d; if (waiter) waiter(); });
  const fail = (e) => { sock = null; if (waiter) waiter(e || new Error('runtime API connection closed')); };
  sock.on('error', fail);
  sock.on('close', () => fail());
}

// parseResponse returns {status, headers, body} once inbuf holds a whole response, else null.
function parseResponse() {
  const end = inbuf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = inbuf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const c = lines[i].indexOf(':');
    if (c > 0) headers[lines[i].slice(0, c).trim().toLowerCase()] = lines[i].slice(c + 1).trim();
  }
  let pos = end + 4;
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (inbuf.length < pos + n) return null;
    const body = inbuf.subarray(pos, pos + n);
    inbuf = inbuf.subarray(pos + n);
    return { status, headers, body };
  }
  if ((headers['transfer-encoding'] || '').toLowerCase() === 'chunked') {
    const parts = [];
    for (;;) {
      const le = inbuf.indexOf('\r\n', pos);
      if (le < 0) return null;
      const size = parseInt(inbuf.subarray(pos, le).toString('latin1'), 16);
      if (inbuf.length < le + 2 + size + 2) return null;
      if (size === 0) {
        const tail = inbuf.indexOf('\r\n\r\n', le);
        if (tail < 0) return null;
        inbuf = inbuf.subarray(tail + 4);
        return { status, headers, body: Buffer.concat(parts) };
      }
      parts.push(inbuf.subarray(le + 2, le + 2 + size));
      pos = le + 2 + size + 2;
    }
  }
  inbuf = inbuf.subarray(pos);
  return { status, headers, body: Buffer.alloc(0) };
}

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    if (sock === null) connect();
    const payload = body === undefined ? null : (Buffer.isBuffer(body) ? body : Buffer.from(body));
    let head = `${method} ${p} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n`;
    for (const [k, v] of Object.entries(headers || {})) head += `${k}: ${v}\r\n`;
    head += `Content-Length: ${payload ? payload.length : 0}\r\n\r\n`;
    waiter = (err) => {
      if (err) { waiter = null; reject(err); return; }
      const res = parseResponse();
      if (res) { waiter = null; resolve(res); }
    };
    sock.write(payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : head);
  });
}

// console.* as AWS formats it: timestamp, request id, level, message.
function patchConsole() {
  const write = (level) => (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${requestId || 'undefined'}\t${level}\t${util.format(...args)}\n`);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
}

class HandlerError extends Error {
  constructor(type, message) { super(message); this.name = type; }
}

function errorDoc(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message,
      trace: (err.stack || '').split('\n'),
    };
  }
  const type = err === null ? 'object' : typeof err;
  return { errorType: type, errorMessage: type === 'string' ? err : JSON.stringify(err), trace: [] };
}

function packageType(file) {
  let dir = path.dirname(file);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try { return JSON.parse(fs.readFileSync(pj, 'utf8')).type || 'commonjs'; } catch { return 'commonjs'; }
    }
    const up = path.dirname(dir);
    if (up === dir) return 'commonjs';
    dir = up;
  }
}

// ES modules ignore NODE_PATH; this resolve hook retries a bare specifier from each NODE_PATH
// dir, so `import { S3Client } from '@aws-sdk/client-s3'` works as on AWS.
const HOOK = `
let dirs = [];
export async function initialize(d) { dirs = d.dirs; }
export async function resolve(spec, ctx, next) {
  try { return await next(spec, ctx); } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && !/^[./]/.test(spec) && !spec.includes(':')) {
      for (const d of dirs) {
        try { return await next(spec, { ...ctx, parentURL: 'file://' + d + '/__fogbank_resolve__.mjs' }); } catch {}
      }
    }
    throw e;
  }
}`;

function registerESMResolver() {
  const mod = require('module');
  const dirs = (process.env.NODE_PATH || '').split(':').filter(Boolean);
  if (typeof mod.register !== 'function' || dirs.length === 0) return;
  mod.register('data:text/javascript,' + encodeURIComponent(HOOK), { data: { dirs } });
}

async function loadHandler() {
  const handler = process.env._HANDLER || '';
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const m = path.basename(handler).match(/^([^.]*)\.(.*)$/);
  if (!m) throw new HandlerError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, fnPath] = m;
  const base = path.resolve(root, path.dirname(handler), moduleName);
  let file = null;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    if (fs.existsSync(base + ext)) { file = base + ext; break; }
  }
  let mod;
  try {
    if (file === null) {
      file = require.resolve(base); // a directory with index.js / package.json main
    }
    const esm = file.endsWith('.mjs') || (file.endsWith('.js') && packageType(file) === 'module');
    if (esm) {
      registerESMResolver();
      mod = await import(pathToFileURL(file).href);
    } else {
      mod = require(file);
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new HandlerError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) {
      throw new HandlerError('Runtime.ImportModuleError', `Error: ${e.message}`);
    }
    throw e;
  }
  let fn = mod;
  for (const part of fnPath.split('.')) fn = fn == null ? undefined : fn[part];
  if (typeof fn !== 'function' && mod && mod.default && typeof mod.default === 'object') {
    // A CommonJS module imported as ESM: its exports are under default.
    fn = mod.default;
    for (const part of fnPath.split('.')) fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== 'function') {
    throw new HandlerError('Runtime.HandlerNotFound', `${moduleName}.${fnPath} is undefined or not exported`);
  }
  return fn;
}

function makeContext(h) {
  const deadline = Number(h['lambda-runtime-deadline-ms'] || 0);
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: h['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
  if (h['lambda-runtime-client-context']) {
    try { ctx.clientContext = JSON.parse(h['lambda-runtime-client-context']); } catch { /* ignored as on AWS */ }
  }
  if (h['lambda-runtime-cognito-identity']) {
    try {
      const id = JSON.parse(h['lambda-runtime-cognito-identity']);
      ctx.identity = { cognitoIdentityId: id.cognitoIdentityId, cognitoIdentityPoolId: id.cognitoIdentityPoolId };
    } catch { /* ignored */ }
  }
  return ctx;
}

function runHandler(fn, event, ctx) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, data) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err); else resolve(data);
    };
    ctx.succeed = (d) => callback(null, d);
    ctx.fail = (e) => callback(e === undefined ? new Error('handled') : e);
    ctx.done = callback;
    let ret;
    try {
      ret = fn(event, ctx, callback);
    } catch (e) {
      callback(e);
      return;
    }
    if (ret && typeof ret.then === 'function') {
      ret.then((d) => callback(null, d), (e) => callback(e === undefined || e === null ? new Error(String(e)) : e));
    } else if (fn.length < 3 && ret !== undefined) {
      callback(null, ret);
    }
  });
}

async function postError(rid, err) {
  const doc = errorDoc(err);
  console.error('Invoke Error', JSON.stringify(doc));
  await call('POST', `/2018-06-01/runtime/invocation/${rid}/error`, JSON.stringify(doc), {
    'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType,
  });
}

// A streaming response: the handler writes into a chunked POST; a failure goes in trailers.
function streamingInvoke(fn, event, ctx, rid) {
  return new Promise((resolve) => {
    const req = http.request({
      host: HOST, port: PORT, method: 'POST', agent,
      path: `/2018-06-01/runtime/invocation/${rid}/response`,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        'Content-Type': 'application/octet-stream',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', () => resolve());
    req.setContentType = (t) => { if (!req.headersSent) req.setHeader('Content-Type', t); };
    const fail = (e) => {
      const doc = errorDoc(e);
      console.error('Invoke Error', JSON.stringify(doc));
      if (!req.writableEnded) {
        req.addTrailers({
          'Lambda-Runtime-Function-Error-Type': doc.errorType,
          'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(doc)).toString('base64'),
        });
        req.end();
      }
    };
    let ret;
    try { ret = fn(event, req, ctx); } catch (e) { fail(e); return; }
    Promise.resolve(ret).then(() => { if (!req.writableEnded) req.end(); }, fail);
  });
}

globalThis.awslambda = {
  streamifyResponse(fn) { fn[STREAM] = true; return fn; },
  HttpResponseStream: {
    from(stream, prelude) {
      if (stream.setContentType) stream.setContentType('application/vnd.awslambda.http-integration-response');
      stream.write(JSON.stringify(prelude || {}));
      stream.write(Buffer.alloc(8));
      return stream;
    },
  },
};

async function main() {
  patchConsole();
  let fn;
  try {
    fn = await loadHandler();
  } catch (e) {
    const doc = errorDoc(e);
    console.error(`${doc.errorType}: ${doc.errorMessage}`);
    await call('POST', '/2018-06-01/runtime/init/error', JSON.stringify(doc), {
      'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType,
    });
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', '/2018-06-01/runtime/invocation/next');
    const h = next.headers;
    const rid = h['lambda-runtime-aws-request-id'];
    requestId = rid;
    process.env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'] || '';
    const ctx = makeContext(h);
    let event;
    try {
      event = next.body.length ? JSON.parse(next.body.toString('utf8')) : {};
    } catch (e) {
      await postError(rid, new HandlerError('Runtime.UnmarshalError', `Unable to parse input as JSON: ${e.message}`));
      continue;
    }
    if (fn[STREAM]) {
      await streamingInvoke(fn, event, ctx, rid);
      continue;
    }
    let result;
    inFlight = rid;
    try {
      result = await runHandler(fn, event, ctx);
    } catch (e) {
      if (inFlight === null) continue; // already reported by fatal()
      inFlight = null;
      await postError(rid, e);
      continue;
    }
    if (inFlight === null) continue;
    inFlight = null;
    let out;
    try {
      out = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      await postError(rid, new HandlerError('Runtime.MarshalError', `Unable to stringify response body as json: ${e.message}`));
      continue;
    }
    await call('POST', `/2018-06-01/runtime/invocation/${rid}/response`, out, { 'Content-Type': 'application/json' });
  }
}

// An error thrown outside the handler's promise chain fails the invocation in flight and ends
// the process, as AWS's runtime does (exit 129; 128 for an unhandled rejection).
let inFlight = null;
function fatal(err, code) {
  const doc = errorDoc(err);
  console.error(code === 128 ? 'Unhandled Promise Rejection' : 'Uncaught Exception', JSON.stringify(doc));
  if (!inFlight) process.exit(code);
  const rid = inFlight;
  inFlight = null;
  call('POST', `/2018-06-01/runtime/invocation/${rid}/error`, JSON.stringify(doc), {
    'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType,
  }).finally(() => process.exit(code));
}
process.on('uncaughtException', (e) => fatal(e, 129));
process.on('unhandledRejection', (reason) => {
  const e = new HandlerError('Runtime.UnhandledPromiseRejection',
    reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  if (reason instanceof Error) e.stack = `Runtime.UnhandledPromiseRejection: ${e.message}\n${(reason.stack || '').split('\n').slice(1).join('\n')}`;
  fatal(e, 128);
});

main().catch((e) => {
  console.error('fogbank runtime client failed:', e);
  process.exit(1);
});
