import type { FieldKey } from '../contacts/fields.js';

/**
 * The contacts table's column for each field. The released migrations spell these names out
 * on their own (they must never change); the batch writers and undo's before-image use this.
 */
export const FIELD_COLUMNS: Readonly<Record<FieldKey, string>> = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  company: 'company',
  title: 'title',
  address: 'address',
  city: 'city',
  state: 'state',
  country: 'country',
  zipCode: 'zip_code',
  notes: 'notes',
};
