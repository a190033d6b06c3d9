// The closed vocabularies of a tip (DESIGN §3), after the CyberTipline Reporting API's report sections.

export const TIP_SOURCES = ['esp', 'public'] as const;
export type TipSource = (typeof TIP_SOURCES)[number];

export const INCIDENT_TYPES = [
  'child-pornography-possession',
  'child-pornography-manufacture',
  'child-pornography-distribution',
  'child-sex-trafficking',
  'child-sex-tourism',
  'child-sexual-molestation',
  'misleading-domain-name',
  'misleading-words-or-digital-images',
  'online-enticement',
  'unsolicited-obscene-material-to-child',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_ANNOTATIONS = [
  'sextortion',
  'csamSolicitation',
  'minorToMinorInteraction',
  'spam',
  'sadisticOnlineExploitation',
  'potentialMeme',
  'viral',
] as const;
export type IncidentAnnotation = (typeof INCIDENT_ANNOTATIONS)[number];

export const INTERNET_DETAIL_KINDS = ['webPage', 'email', 'newsgroup', 'chatIm', 'onlineGaming', 'cellPhone', 'nonInternet', 'peer2peer'] as const;
export type InternetDetailKind = (typeof INTERNET_DETAIL_KINDS)[number];

export const IP_EVENT_NAMES = ['Login', 'Registration', 'Purchase', 'Upload', 'Other', 'Unknown'] as const;
export type IpEventName = (typeof IP_EVENT_NAMES)[number];

export const INDUSTRY_CLASSIFICATIONS = ['A1', 'A2', 'B1', 'B2'] as const;
export const FILE_ANNOTATIONS = ['potentialMeme', 'viral'] as const;
export type FileAnnotation = (typeof FILE_ANNOTATIONS)[number];

/** ISO 3166-2:US subdivisions: the states, DC and the outlying areas. A US region must be one of them. */
export const US_REGION_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD',
  'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC',
  'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'DC', 'AS', 'GU', 'MP', 'PR', 'UM', 'VI',
] as const;
export const isUsRegionCode = (code: string): boolean => (US_REGION_CODES as readonly string[]).includes(code);
