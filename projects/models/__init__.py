"""R&D projects, the organisations behind them, the 平塚海洋エネルギー研究会 and its outcomes."""

from .facilities import Facility
from .organizations import FundingSource, Organization, Theme
from .projects import (
    Funding,
    Milestone,
    Participation,
    Project,
    ProjectImage,
    Video,
)
from .research_group import ActivityRecord, Meeting, Membership, Outcome, ResearchGroup

__all__ = [
    "ActivityRecord",
    "Facility",
    "Funding",
    "FundingSource",
    "Meeting",
    "Membership",
    "Milestone",
    "Organization",
    "Outcome",
    "Participation",
    "Project",
    "ProjectImage",
    "ResearchGroup",
    "Theme",
    "Video",
]
