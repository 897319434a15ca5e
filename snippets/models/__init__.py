"""The registry's records, one module per kind; imported here for Django and for callers."""

from .access import ClientRecordAccess
from .base import RegistryQuerySet, RegistryRecord
from .client import Client, ClientSourceId, DemographicQuestion, ImmigrationStatus
from .department import Department
from .enrollment import ClientProgramEnrollment, Discharge, Intake
from .program import Program, ProgramCapacity, ProgramStaff
from .restriction import RESTRICTIONS_ARE_KEPT, RestrictionScope, ServiceRestriction

__all__ = [
    "RESTRICTIONS_ARE_KEPT",
    "Client",
    "ClientRecordAccess",
    "ClientProgramEnrollment",
    "ClientSourceId",
    "DemographicQuestion",
    "Department",
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
]
