/** Settings of the API edge: promotion links use the address the API really listens on. */
import { loadConfig } from '../config';

test('R-AMB-4 promotion links default to the address the API listens on (API_HOST, API_PORT); PUBLIC_BASE_URL replaces it', () => {
  expect(loadConfig({ API_PORT: '18123' }).PUBLIC_BASE_URL).toBe('http://127.0.0.1:18123');
  expect(loadConfig({ API_HOST: 'api.internal', API_PORT: '8080' }).PUBLIC_BASE_URL).toBe('http://api.internal:8080');
  expect(loadConfig({ API_HOST: '0.0.0.0', API_PORT: '8080' }).PUBLIC_BASE_URL).toBe('http://127.0.0.1:8080');
  expect(loadConfig({ API_HOST: '::1', API_PORT: '8080' }).PUBLIC_BASE_URL).toBe('http://[::1]:8080');
  expect(loadConfig({ API_PORT: '8080', PUBLIC_BASE_URL: 'https://yun.example.com' }).PUBLIC_BASE_URL).toBe('https://yun.example.com');
});
