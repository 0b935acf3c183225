/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/*.schema.json
 */

export type {
  AccessAsk,
  AccessAsked,
  AccessGrant,
  AccessState,
  ActionState,
} from './access-asked';
export type {
  AccessList,
} from './access-list';
export type {
  AccessRequest,
} from './access-request';
export type {
  ActionItem,
  IncidentState,
} from './action-item';
export type {
  CheckStatus,
  CheckTrend,
  QualityPoint,
} from './check-trend';
export type {
  Bound,
  ContractAuthoritativeDefinition,
  ContractCustomProperty,
  ContractDescription,
  ContractTeam,
  ContractTeamMember,
  ContractTeamObject,
  DataContract,
  DataContractKind,
  Implementation,
  LogicalType,
  LogicalTypeOptions,
  ObjectLogicalType,
  OdcsApiVersion,
  Pricing,
  PropertyReference,
  PropertyRelationship,
  QualityDimension,
  QualityMetric,
  QualityRule,
  QualityType,
  RelationshipType,
  Role,
  SchemaItems,
  SchemaObject,
  SchemaProperty,
  SchemaRelationship,
  Server,
  ServerType,
  SlaProperty,
  SupportChannel,
} from './data-contract';
export type {
  AuthoritativeDefinition,
  CustomProperty,
  DataProduct,
  DataProductKind,
  Description,
  InputContract,
  InputPort,
  ManagementPort,
  OdpsApiVersion,
  OutputPort,
  ProductStatus,
  Sbom,
  Support,
  Team,
  TeamMember,
} from './data-product';
export type {
  DraftSummary,
} from './draft-summary';
export type {
  Draft,
} from './draft';
export type {
  Finding,
  Severity,
} from './finding';
export type {
  IncidentAction,
} from './incident-action';
export type {
  IncidentFilter,
} from './incident-filter';
export type {
  Incident,
  IncidentEvent,
  IncidentList,
} from './incident-list';
export type {
  LineageEdge,
  LineageNode,
  LineageView,
} from './lineage-view';
export type {
  NoticeCounts,
} from './notice-counts';
export type {
  JobState,
  OutboxItem,
  OutboxState,
} from './outbox-item';
export type {
  PortRows,
} from './port-rows';
export type {
  ProductSummary,
} from './product-summary';
export type {
  ProductLink,
  ProductView,
  QualitySummary,
  SloReport,
  SloStatus,
} from './product-view';
export type {
  ProfileInfo,
  ProfileList,
} from './profile-list';
export type {
  JobKind,
  JobStep,
  ProvisioningJob,
  StepStatus,
} from './provisioning-job';
export type {
  DiscoverySpec,
  InfrastructureSpec,
  OrchestrationSpec,
  ProcessingSpec,
  ProvisioningApiVersion,
  ProvisioningRequest,
  ProvisioningRequestKind,
  QualityCheck,
  QualitySpec,
  SecuritySpec,
  StorageSpec,
} from './provisioning-request';
export type {
  FailingCheck,
  HealthCounts,
  ProductHealth,
  QualityHome,
  SloCounts,
} from './quality-home';
export type {
  SaveOutcome,
} from './save-outcome';
export type {
  SearchQuery,
} from './search-query';
export type {
  FacetCount,
  FacetSizes,
  Facets,
  SearchHit,
  SearchResult,
} from './search-result';
export type {
  SubmitOutcome,
} from './submit-outcome';
export type {
  SyncPhase,
  SyncStatus,
} from './sync-status';
export type {
  FileReport,
  PolicyException,
  ValidationReport,
} from './validation-report';
