// A Node.js streaming handler (awslambda.streamifyResponse) for
// services/lambda's tests: three chunks, written apart.
exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  for (const part of ["one,", "two,", "three"]) {
    responseStream.write(part);
    await new Promise((r) => setTimeout(r, 30));
  }
  responseStream.end();
});
