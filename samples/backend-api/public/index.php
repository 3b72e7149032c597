<?php
// Sample front controller: answers the health route the generated health checks poll.
if (parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) === '/api/health') {
    header('Content-Type: application/json');
    echo json_encode(['status' => 'ok']);
    return;
}
echo "MDB Copilot API\n";
