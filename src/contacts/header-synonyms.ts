import type { FieldKey } from './fields.js';

/**
 * Header names people and export tools (Google Contacts, Outlook, CRMs) use for each field,
 * besides the field's key and label. Compared after normalizeHeader, so case, spaces and
 * punctuation do not matter ("E-mail" = "email", "first_name" = "First Name" = firstName).
 */
export const HEADER_SYNONYMS: Readonly<Record<FieldKey, readonly string[]>> = {
  email: [
    'Email Address', 'E-mail', 'E-mail Address', 'Email 1', 'E-mail 1 - Value', 'Mail', 'Email ID',
    // de fr es pt it nl
    'E-Mail-Adresse', 'Courriel', 'Adresse e-mail', 'Adresse électronique', 'Correo', 'Correo electrónico',
    'Endereço de e-mail', 'Indirizzo email', 'E-mailadres',
  ],
  firstName: [
    'First Name', 'Given Name', 'First', 'Forename', 'FName', 'Given',
    'Vorname', 'Prénom', 'Nombre', 'Primeiro nome', 'Nome', 'Voornaam',
  ],
  lastName: [
    'Last Name', 'Surname', 'Family Name', 'Last', 'LName',
    'Nachname', 'Familienname', 'Nom', 'Nom de famille', 'Apellido', 'Apellidos', 'Sobrenome', 'Apelido',
    'Cognome', 'Achternaam',
  ],
  phone: [
    'Phone', 'Phone Number', 'Mobile', 'Mobile Phone', 'Mobile Number', 'Cell', 'Cell Phone',
    'Telephone', 'Tel', 'Phone 1', 'Phone 1 - Value', 'Phone No', 'Contact Number',
    'Telefon', 'Telefonnummer', 'Handy', 'Mobil', 'Mobiltelefon', 'Téléphone', 'Portable', 'Teléfono',
    'Móvil', 'Celular', 'Telefone', 'Telefono', 'Cellulare', 'Telefoon', 'Telefoonnummer', 'Mobiel',
  ],
  company: [
    'Company', 'Company Name', 'Organization', 'Organisation', 'Organization Name',
    'Organisation Name', 'Organization 1 - Name', 'Employer', 'Account Name',
    'Firma', 'Unternehmen', 'Société', 'Entreprise', 'Empresa', 'Azienda', 'Bedrijf',
  ],
  title: [
    'Title', 'Job Title', 'Position', 'Role', 'Organization Title', 'Organization 1 - Title', 'Designation',
    'Berufsbezeichnung', 'Funktion', 'Fonction', 'Poste', 'Cargo', 'Puesto', 'Ruolo', 'Functie',
  ],
  address: [
    'Address', 'Street', 'Street Address', 'Address Line 1', 'Address 1',
    'Straße', 'Strasse', 'Anschrift', 'Adresse', 'Rue', 'Dirección', 'Calle', 'Endereço', 'Rua', 'Indirizzo',
    'Adres', 'Straat',
  ],
  city: ['City', 'Town', 'Locality', 'Stadt', 'Ort', 'Wohnort', 'Ville', 'Ciudad', 'Localidad', 'Cidade', 'Città', 'Plaats', 'Woonplaats'],
  state: ['State', 'Province', 'Region', 'State/Province', 'State/Region', 'County', 'Bundesland', 'Provincia', 'Estado', 'Provincie'],
  country: ['Country', 'Country/Region', 'Nation', 'Land', 'Pays', 'País', 'Paese', 'Nazione'],
  zipCode: [
    'Zip', 'Zip Code', 'Postal Code', 'Postcode', 'ZIP/Postal Code', 'Postal',
    'PLZ', 'Postleitzahl', 'Code postal', 'CP', 'Código postal', 'CEP', 'CAP',
  ],
  notes: [
    'Notes', 'Note', 'Comments', 'Comment', 'Description', 'Remarks',
    'Notizen', 'Bemerkungen', 'Kommentar', 'Remarques', 'Commentaires', 'Notas', 'Observaciones', 'Opmerkingen',
  ],
};

/**
 * Single words that often mean something else: Outlook's "Title" is Mr./Ms. beside its
 * "Job Title"; "Region" may be a sales region. They map only when no clearer column does.
 */
export const AMBIGUOUS_HEADERS: readonly string[] = [
  'Title', 'Role', 'Position', 'Region', 'County', 'Mail', 'First', 'Last', 'Given', 'Postal', 'Description', 'Comment',
  'Ort', 'CP', 'CAP', 'Land', 'Estado', 'Nom', 'Nome', 'Cargo', 'Poste',
];

/**
 * Words exports put before a field's name: "Mailing City", "Business Phone", Google's
 * "Address 1 - Street". A header that is one of these plus a known name maps to that name's
 * field, after every plain match.
 */
export const HEADER_QUALIFIERS: readonly string[] = [
  'Business', 'Work', 'Office', 'Home', 'Personal', 'Private', 'Mailing', 'Billing', 'Shipping',
  'Primary', 'Main', 'Other', 'Contact', 'Address 1', 'Address 2', 'Address',
];

/**
 * Headers holding a whole name: suggested as fullName (split into first and last name) when
 * no first- or last-name column exists, as firstName beside a last-name column.
 */
export const FULL_NAME_HEADERS: readonly string[] = [
  'Name', 'Full Name', 'Contact Name', 'Display Name',
];

/**
 * Synonyms only ever matched exactly: they sit one edit away from unrelated common headers
 * ("County" from "Count"/"Counts").
 */
export const EXACT_ONLY_HEADERS: readonly string[] = ['County'];
