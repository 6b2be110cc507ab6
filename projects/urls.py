from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    # Two segments: never read as a project's page (/projects/<slug>/).
    path("projects/facilities/<str:kind>/", views.facilities, name="facilities"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("projects/<slug:slug>/factsheet.pdf", views.project_factsheet, name="factsheet"),
    path("research-group/", views.research_group, name="research-group"),
    path("research-group/meetings/", views.meeting_years, name="meeting-years"),
    path("research-group/members/<str:category>/", views.members, name="members"),
    path("research-group/outcomes/<str:kind>/", views.outcomes, name="outcomes"),
    path("research-group/meetings/<int:fiscal_year>/", views.meeting_year, name="meeting-year"),
]
