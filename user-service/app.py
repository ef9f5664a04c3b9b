from user_service.main import create_app

app = create_app()
