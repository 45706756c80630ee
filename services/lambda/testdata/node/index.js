// A Node.js handler for services/lambda's tests.
exports.handler = async (event, context) => {
  if (event.op === "error") {
    throw new Error(event.msg || "boom");
  }
  return { event, name: context.functionName, requestId: context.awsRequestId, version: context.functionVersion };
};
