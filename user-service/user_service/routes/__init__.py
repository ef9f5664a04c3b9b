from user_service.routes.auth import router as auth_router
from user_service.routes.tokens import router as tokens_router
from user_service.routes.users import router as users_router

__all__ = ["auth_router", "tokens_router", "users_router"]
