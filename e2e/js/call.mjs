// call.mjs SERVICE OPERATION [PARAMS_JSON]
//
// Calls one operation with the AWS SDK for JavaScript v3, the way an
// application would: the client is built with no endpoint option, so it finds
// Fogbank through AWS_ENDPOINT_URL and the credentials through the
// environment. Prints one JSON line: {"ok":true,"output":{...}} or
// {"ok":false,"error":{"code","message","status"}}; exits 0 either way, so the
// Go test decides what is expected.
const [service, operation, params = "{}"] = process.argv.slice(2);
if (!service || !operation) {
  console.error("usage: node call.mjs SERVICE OPERATION [PARAMS_JSON]");
  process.exit(2);
}

const mod = await import(`@aws-sdk/client-${service}`);
const clientName = Object.keys(mod).find(
  (k) => k.endsWith("Client") && !k.startsWith("__") && typeof mod[k] === "function" && k !== "Client",
);
const Command = mod[`${operation}Command`];
if (!clientName || !Command) {
  console.error(`@aws-sdk/client-${service} has no client or no ${operation}Command`);
  process.exit(2);
}
const client = new mod[clientName]({});

try {
  const out = await client.send(new Command(JSON.parse(params)));
  delete out.$metadata;
  console.log(JSON.stringify({ ok: true, output: out }));
} catch (err) {
  // Only an answer from the server is a result; a refused connection or a
  // crash is not, and fails the test loudly.
  if (!err.$metadata?.httpStatusCode) throw err;
  console.log(
    JSON.stringify({
      ok: false,
      error: {
        code: err.Code || err.name,
        message: err.message,
        status: err.$metadata.httpStatusCode || 0,
      },
    }),
  );
} finally {
  client.destroy();
}
