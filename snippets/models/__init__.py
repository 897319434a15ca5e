"""The registry's records, one module per kind; imported here for Django and for callers."""

from .access import ClientRecordAccess
from .base import RegistryQuerySet, RegistryRecord
from .client import (
    CLIENT_DEMOGRAPHIC_FIELDS,
    CLIENT_FIELDS,
    CLIENT_IDENTITY_FIELDS,
    CLIENT_MATCHING_FIELDS,
    Client,
    ClientSourceId,
    DemographicQuestion,
    ImmigrationStatus,
    SharingConsent,
    SourceSystem,
)
from .department import Department, DepartmentStaff
from .enrollment import ClientProgramEnrollment, Discharge, Intake
from .program import Program, ProgramCapacity, ProgramStaff
from .restriction import RESTRICTIONS_ARE_KEPT, RestrictionScope, ServiceRestriction

# The registry's record types, declared once, in the admin's order: the models whose rows
# are registry records (RegistryRecord: revisions, drafts, the Coordinator's approval).
# Staff roles grant permissions on these, the approval workflow covers these, the audit
# triggers watch these (and their child rows).
REGISTRY_RECORD_TYPES = (
    Client,
    Program,
    Department,
    ClientProgramEnrollment,
    Intake,
    Discharge,
    ServiceRestriction,
)

__all__ = [
    "CLIENT_DEMOGRAPHIC_FIELDS",
    "CLIENT_FIELDS",
    "CLIENT_IDENTITY_FIELDS",
    "CLIENT_MATCHING_FIELDS",
    "REGISTRY_RECORD_TYPES",
    "RESTRICTIONS_ARE_KEPT",
    "Client",
    "ClientRecordAccess",
    "ClientProgramEnrollment",
    "ClientSourceId",
    "DemographicQuestion",
    "Department",
    "DepartmentStaff",
    "Discharge",
    "ImmigrationStatus",
    "Intake",
    "Program",
    "ProgramCapacity",
    "ProgramStaff",
    "RegistryQuerySet",
    "RegistryRecord",
    "RestrictionScope",
    "ServiceRestriction",
    "SharingConsent",
    "SourceSystem",
]
