import { Modal } from '@mantine/core';
import { useState } from 'react';
import type { StartedImport, Upload } from '../../api/types.ts';
import { ChooseFileStep } from './ChooseFileStep.tsx';
import { PreviewStep } from './PreviewStep.tsx';

interface ImportFileModalProps {
  incidentId: string;
  opened: boolean;
  onClose: () => void;
  onStarted: (result: StartedImport) => void;
}

/** Upload a file, check the first rows and the detected mapping, correct it, start the import. */
export function ImportFileModal({ incidentId, opened, onClose, onStarted }: ImportFileModalProps) {
  const [upload, setUpload] = useState<Upload | null>(null);
  function close() {
    setUpload(null);
    onClose();
  }
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={upload ? `Check the columns of ${upload.fileName}` : 'Import a file'}
      size={upload ? '84rem' : 'lg'}
      closeOnClickOutside={false}
    >
      {upload ? (
        <PreviewStep
          incidentId={incidentId}
          upload={upload}
          onBack={() => setUpload(null)}
          onStarted={(result) => {
            onStarted(result);
            close();
          }}
        />
      ) : (
        <ChooseFileStep incidentId={incidentId} onUploaded={setUpload} onCancel={close} />
      )}
    </Modal>
  );
}
