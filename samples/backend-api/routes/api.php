<?php
// Route::get('/health', \App\Http\Controllers\HealthController::class);
