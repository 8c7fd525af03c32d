import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createSignedInUser, createTestApp, type TestApp } from './support/app.ts';

describe('a signed-in admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists users after the full setup and enrollment flow', async () => {
    const admin = await createSignedInUser(t, 'admin');
    const response = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(admin) });
    expect(response.statusCode).toBe(200);
    expect(response.json().users).toHaveLength(1);
  });
});
