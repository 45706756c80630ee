let invocations = 0;
exports.handler = async (event, context) => {
  invocations++;
  switch (event.op) {
    case 'echo': return event;
    case 'print': console.log('hello from node:', event.msg); return 'printed';
    case 'error': throw new Error(event.msg);
    case 'sleep': await new Promise((r) => setTimeout(r, event.ms)); return 'slept';
    case 'exit': process.exit(3);
    case 'uncaught': setTimeout(() => { throw new TypeError('thrown later'); }, 1); await new Promise((r) => setTimeout(r, 1000)); return 'never';
    case 'rejected': Promise.reject(new Error('nobody caught me')); await new Promise((r) => setTimeout(r, 1000)); return 'never';
    case 'ctx': return {
      awsRequestId: context.awsRequestId, functionName: context.functionName,
      functionVersion: context.functionVersion, invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName,
      logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
      clientContext: context.clientContext, identity: context.identity, invocations, pid: process.pid,
    };
    case 'env': return { ...process.env, PWD: process.cwd(), version: process.version };
    case 'sdk': { const { SQSClient } = require('@aws-sdk/client-sqs'); return typeof SQSClient; }
    case 'layer': return require('layerlib').value;
  }
  return { unknown: event.op };
};
exports.nested = { deeper: { fn: async () => 'nested ok' } };
