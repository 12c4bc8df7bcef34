// @ts-check
'use strict';
/** TCP port helpers for the dev scripts (loopback only). Node built-ins only. */
const net = require('node:net');

/**
 * Whether a TCP server could listen on host:port right now.
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<boolean>}
 */
function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Throws a message naming the setting to change when the port is taken, e.g.
 * "Port 7233 is already in use (set TEMPORAL_PORT to use another port)".
 * @param {number} port
 * @param {string} settingName the environment variable that chooses this port
 * @param {string} [host]
 * @returns {Promise<void>}
 */
async function assertPortFree(port, settingName, host = '127.0.0.1') {
  let free;
  try {
    free = await isPortFree(port, host);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot listen on ${host}:${port}: ${reason} (set ${settingName} to use another port)`);
  }
  if (!free) throw new Error(`Port ${port} is already in use (set ${settingName} to use another port)`);
}

/**
 * A port that is free right now (the OS picks it). Another process could take
 * it before it is used; fine for tests on loopback.
 * @param {string} [host]
 * @returns {Promise<number>}
 */
function getFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not determine a free port'))));
    });
  });
}

/**
 * Whether something accepts TCP connections on host:port.
 * @param {number} port
 * @param {string} [host]
 * @param {number} [timeoutMs]
 * @returns {Promise<boolean>}
 */
function canConnect(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    /** @param {boolean} result */
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Read a port number from an environment variable.
 * @param {string} name e.g. "API_PORT"
 * @param {number} fallback used when the variable is unset or empty
 * @returns {number}
 */
function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number between 1 and 65535, got "${raw}"`);
  }
  return port;
}

module.exports = { isPortFree, assertPortFree, getFreePort, canConnect, portFromEnv };
