from notification_service.main import create_app

app = create_app()
