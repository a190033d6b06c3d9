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
