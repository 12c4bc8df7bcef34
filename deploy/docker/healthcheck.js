// The image's HEALTHCHECK, for both roles (Node built-ins only, no curl in the image): the worker's liveness
// endpoint when WORKER_HEALTH_PORT is set, otherwise the API's health check. Exits 0 when healthy.
'use strict';
const http = require('node:http');

const url = process.env.WORKER_HEALTH_PORT
  ? `http://127.0.0.1:${process.env.WORKER_HEALTH_PORT}/livez`
  : `http://127.0.0.1:${process.env.API_PORT || 3000}/api/v1/health`;

const request = http.get(url, { timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  console.error(`${url}: ${error.message}`);
  process.exit(1);
});
