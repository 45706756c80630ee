exports.handler = (event, context, callback) => {
  setTimeout(() => {
    if (event.fail) callback(new TypeError('callback failed'));
    else callback(null, { via: 'callback', got: event.msg });
  }, 5);
};
