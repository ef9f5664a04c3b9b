import { expect, test } from '@playwright/test'

import {
  adminToken,
  bookAs,
  expectAccessible,
  logInThroughForm,
  mainNav,
  registerUser,
  screenshots,
  stack,
  unique,
} from './support'

test('an admin promotes a user, who creates an event that then appears in search', async ({ page }) => {
  const person = await registerUser('Olga')
  const word = unique('Garden')
  const title = `${word} Party`

  await test.step('the admin makes the person an organizer', async () => {
    await page.goto('/login?next=/admin/users')
    await logInThroughForm(page, stack().admin.email, stack().admin.password)
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
    await expectAccessible(page, 'admin-users')
    await screenshots(page, 'admin-users')
    // Part of the address is enough (case does not matter); the URL keeps the search.
    const part = person.email.split('@')[0]!.toUpperCase()
    await page.getByLabel('Name or email').fill(part)
    await page.getByRole('button', { name: 'Search' }).click()
    await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(part)}`))
    await expect(page.getByText('1 user', { exact: true })).toBeVisible()
    const row = page.getByRole('article', { name: person.email })
    await row.getByLabel(`Role of ${person.email}`).selectOption('organizer')
    await row.getByRole('button', { name: 'Save' }).click()
    await expect(row.getByText(`${person.email} is now organizer.`)).toBeVisible()
    // An admin cannot demote themself.
    await page.getByLabel('Name or email').fill(stack().admin.email)
    await page.getByRole('button', { name: 'Search' }).click()
    await expect(page.getByLabel(`Role of ${stack().admin.email}`)).toBeDisabled()
    await page.getByRole('button', { name: 'Log out' }).click()
  })

  await test.step('the new organizer creates an event, with the form checking it first', async () => {
    // The role is in the token: a new sign-in carries it.
    await page.goto('/login?next=/organizer/events')
    await logInThroughForm(page, person.email, person.password)
    await expect(page.getByRole('heading', { name: 'My events' })).toBeVisible()
    await expect(page.getByText('You have no events yet')).toBeVisible()
    await page.getByRole('link', { name: 'New event' }).click()
    await expect(page.getByRole('heading', { name: 'New event' })).toBeVisible()

    const year = new Date().getFullYear() + 1
    await page.getByRole('button', { name: 'Create event' }).click()
    await expect(page.getByText('Give the event a title.')).toBeVisible()
    await expect(page.getByText('Choose when the event starts.')).toBeVisible()
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Description').fill('Music among the flowers.')
    await page.getByLabel('Venue').fill('Botanic Garden')
    await page.getByLabel('City').fill('Berlin')
    await page.getByLabel('Category').selectOption('theatre')
    await page.getByLabel('Time zone').selectOption('Europe/Berlin')
    await page.getByLabel('Starts').fill(`${year}-07-15T19:30`)
    await page.getByLabel('Ends (optional)').fill(`${year}-07-15T18:00`)
    await page.getByLabel('Total tickets').fill('120')
    await page.getByLabel('Price per ticket').fill('30')
    await page.getByLabel('Currency').fill('eur')
    await page.getByRole('button', { name: 'Create event' }).click()
    await expect(page.getByText('The end must be after the start.')).toBeVisible()
    await expectAccessible(page, 'organizer-new-event')
    await screenshots(page, 'organizer-new-event')
    await page.getByLabel('Ends (optional)').fill(`${year}-07-15T22:00`)
    await page.getByRole('button', { name: 'Create event' }).click()

    await expect(page.getByRole('heading', { name: 'My events' })).toBeVisible()
    await expect(page.getByText(`${title} is created and open for booking.`)).toBeVisible()
    const row = page.getByRole('article', { name: title })
    await expect(row.getByRole('definition').nth(0)).toHaveText('0')
    await expect(row.getByRole('definition').nth(1)).toHaveText('120')
  })

  await test.step('it appears in search, at the venue’s local time', async () => {
    await mainNav(page).getByRole('link', { name: 'Events', exact: true }).click()
    await page.getByLabel('Search', { exact: true }).fill(word)
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    const card = page.getByRole('article', { name: title })
    await expect(card).toBeVisible()
    await expect(card.getByText('Botanic Garden, Berlin')).toBeVisible()
    await expect(card.getByText('€30.00')).toBeVisible()
    // Entered as 19:30 in Berlin, shown as 19:30 in Berlin (17:30 UTC is what is stored).
    await expect(card.getByText(`15 Jul ${new Date().getFullYear() + 1}, 19:30 CEST`)).toBeVisible()
  })

  await test.step('tickets sold and left, an edit within the rules, and a cancellation', async () => {
    const [created] = (await (await fetch(`${stack().events}/events?q=${word}`)).json()) as { id: string }[]
    await bookAs(await adminToken(), created!.id, 3)
    await page.goto('/organizer/events')
    const row = page.getByRole('article', { name: title })
    await expect(row.getByRole('definition').nth(0)).toHaveText('3')
    await expect(row.getByRole('definition').nth(1)).toHaveText('117')
    await expectAccessible(page, 'organizer-events')
    await screenshots(page, 'organizer-events')

    await row.getByRole('link', { name: `Edit ${title}` }).click()
    await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin')
    await page.getByLabel('Total tickets').fill('2')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByText('3 tickets are already sold; the total cannot be lower.')).toBeVisible()
    await page.getByLabel('Total tickets').fill('150')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByRole('heading', { name: 'My events' })).toBeVisible()
    await expect(row.getByRole('definition').nth(1)).toHaveText('147')
    await expect(row.getByRole('definition').nth(2)).toHaveText('150')

    await row.getByRole('button', { name: `Cancel ${title}` }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Cancel this event?' })
    await dialog.getByRole('button', { name: 'Cancel event' }).click()
    await expect(page.getByText(`${title} is cancelled. It takes no new bookings.`)).toBeVisible()
    await page.getByLabel('Show').selectOption('cancelled')
    await expect(page.getByRole('article', { name: title }).getByText('Cancelled')).toBeVisible()

    await page.goto(`/?q=${word}`)
    await expect(page.getByText('No events match')).toBeVisible()
  })
})
