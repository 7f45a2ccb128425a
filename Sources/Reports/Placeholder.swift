/// Report catalog, tenant execution and renderers (filled in by the reports issue).
enum ReportsModule {}
