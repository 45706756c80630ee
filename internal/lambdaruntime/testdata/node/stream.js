exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  for (let i = 0; i < 3; i++) {
    responseStream.write(`chunk${i};`);
    await new Promise((r) => setTimeout(r, 5));
  }
  if (event.fail) throw new Error('stream broke');
  responseStream.end();
});
