// A RESPONSE_STREAM function URL handler for services/lambda's tests. It
// writes a first chunk, then waits for the file named by the "gate" query
// parameter before writing the rest, so a test can see the first chunk
// arrive while the function is still running (no timing involved).
const fs = require('fs');

const waitFor = (path) => new Promise((resolve) => {
  const poll = () => (!path || fs.existsSync(path) ? resolve() : setTimeout(poll, 10));
  poll();
});

exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const q = event.queryStringParameters || {};
  if (event.rawPath === '/raw') {
    responseStream.write('raw,');
    await waitFor(q.gate);
    responseStream.write('done');
    responseStream.end();
    return;
  }
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201,
    headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' },
    cookies: ['s=1'],
  });
  stream.write('one,');
  await waitFor(q.gate);
  stream.write('two,');
  stream.write('three');
  stream.end();
});
