require('no-such-package-anywhere');
exports.handler = async () => 'never';
