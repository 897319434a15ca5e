"""The registry's records, one module per kind; imported here for Django and for callers."""

from .access import ClientRecordAccess
from .base import RegistryQuerySet, RegistryRecord
from .client import (
    Client,
    ClientSourceId,
    DemographicQuestion,
    ImmigrationStatus,
    SharingConsent,
)
from .department import Department, DepartmentStaff
from .enrollment import ClientProgramEnrollment, Discharge, Intake
from .program import Program, ProgramStaff
from .restriction import RESTRICTIONS_ARE_KEPT, RestrictionScope, ServiceRestriction

__all__ = [
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
    "ProgramStaff",
    "RegistryQuerySet",
    "RegistryRecord",
    "RestrictionScope",
    "ServiceRestriction",
    "SharingConsent",
]
