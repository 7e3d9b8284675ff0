import { expect, test } from '@playwright/test';

test('the production build loads without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Hyperkata' })).toBeVisible();
  await page.screenshot({ path: 'artifacts/screenshots/placeholder.png' });
  expect(errors).toEqual([]);
});
